package id.mppdigital.adapter.messagelog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an export of the message log with nothing but the adapter's public key (given separately,
 * not the one in the export): every entry's hash is the hash of its fields, each links to the one
 * before, the numbers have no gap, and every entry up to the last seal is covered by a seal whose
 * signature is valid over the hash of its last entry. A changed entry breaks its hash; a removed one
 * the chain; a re-written chain the seals. Entries after the last seal are reported as not sealed yet.
 * <p>
 * From the command line: {@code java -cp agency-adapter.jar
 * -Dloader.main=id.mppdigital.adapter.messagelog.MessageLogVerifier org.springframework.boot.loader.launch.PropertiesLauncher
 * export.json <public key, Base64>}.
 */
public final class MessageLogVerifier {

	private MessageLogVerifier() {
	}

	/** What is wrong with the export; empty if it verifies. */
	public static List<String> verify(Export export, String publicKey) {
		List<String> problems = new ArrayList<>();
		List<Entry> entries = export.entries();
		Map<Long, Entry> byId = new HashMap<>();
		for (int i = 0; i < entries.size(); i++) {
			Entry entry = entries.get(i);
			byId.put(entry.id(), entry);
			if (!entry.intact()) {
				problems.add("entry " + entry.id() + " was changed: its hash is not the hash of its fields");
			}
			if (i > 0) {
				Entry before = entries.get(i - 1);
				if (entry.id() != before.id() + 1) {
					problems.add("entries " + (before.id() + 1) + " to " + (entry.id() - 1) + " are missing");
				}
				else if (!entry.previousHash().equals(before.hash())) {
					problems.add("entry " + entry.id() + " does not follow entry " + before.id());
				}
			}
		}
		PublicKey key;
		try {
			key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			problems.add("not an Ed25519 public key: " + ex.getMessage());
			return problems;
		}
		long sealedUpTo = entries.isEmpty() ? 0 : entries.get(0).id() - 1;
		for (Seal seal : export.seals()) {
			if (!valid(key, seal)) {
				problems.add("seal over entries " + seal.from() + " to " + seal.id() + " is not signed with this key");
				continue;
			}
			for (long id = seal.from(); id <= seal.id(); id++) {
				if (!byId.containsKey(id)) {
					problems.add("entry " + id + ", under the seal over entries " + seal.from() + " to " + seal.id() + ", is missing");
				}
			}
			Entry last = byId.get(seal.id());
			if (last != null && !last.hash().equals(seal.hash())) {
				problems.add("entry " + seal.id() + " is not the entry seal " + seal.id() + " signed");
			}
			sealedUpTo = Math.max(sealedUpTo, seal.id());
		}
		for (Entry entry : entries) {
			if (entry.id() > sealedUpTo) {
				problems.add("entries from " + entry.id() + " are not sealed yet");
				break;
			}
		}
		return problems;
	}

	private static boolean valid(PublicKey key, Seal seal) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(key);
			signature.update(Seal.signed(seal.from(), seal.id(), seal.hash()).getBytes(StandardCharsets.UTF_8));
			return signature.verify(Base64.getDecoder().decode(seal.signature()));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: MessageLogVerifier <export.json> <public key, Base64>");
			System.exit(2);
		}
		Export export = JsonMapper.builder().findAndAddModules().build().readValue(Files.readString(Path.of(args[0])), Export.class);
		List<String> problems = verify(export, args[1]);
		problems.forEach(System.out::println);
		System.out.println(problems.isEmpty() ? "verified: " + export.entries().size() + " entries" : "NOT verified");
		System.exit(problems.isEmpty() ? 0 : 1);
	}

}
