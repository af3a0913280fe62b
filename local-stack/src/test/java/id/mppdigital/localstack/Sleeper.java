package id.mppdigital.localstack;

/** A child process for the supervisor's tests: sleeps until killed, or exits at once with a code. */
public final class Sleeper {

	private Sleeper() {
	}

	public static void main(String[] args) throws InterruptedException {
		System.out.println("sleeper started");
		if (args.length > 0) {
			System.out.println("failing on purpose");
			System.exit(Integer.parseInt(args[0]));
		}
		Thread.sleep(Long.MAX_VALUE);
	}

}
