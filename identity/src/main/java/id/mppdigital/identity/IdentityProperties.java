package id.mppdigital.identity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the platform adds to a plain authorization server: the audience of its access tokens, where
 * the signing keys live, the people who can sign in and the roles bound to machine clients.
 *
 * @param audience the {@code aud} every access token carries and every resource server requires
 * @param keys the signing keys (see {@link SigningKeys})
 * @param accounts people who can sign in (demo accounts in the local and docker profiles only)
 * @param clients roles and bindings of clients using the client-credentials grant, by client id
 * @param signIn how failed sign-ins (and client authentications) are throttled
 * @param introspectionClients the clients that may introspect tokens (none by default: resource servers
 * check JWTs themselves); anyone else is told every token is inactive
 */
@ConfigurationProperties("mpp.identity")
public record IdentityProperties(@DefaultValue("mpp-api") String audience, @DefaultValue Keys keys,
		List<Account> accounts, Map<String, Binding> clients, @DefaultValue SignIn signIn,
		Set<String> introspectionClients) {

	/**
	 * @param maxFailures wrong passwords for one account before its sign-in is refused
	 * @param maxFailuresPerAddress wrong passwords from one client address before it is refused
	 * @param window how long failures count, and how long a refusal lasts
	 */
	public record SignIn(@DefaultValue("5") int maxFailures, @DefaultValue("20") int maxFailuresPerAddress,
			@DefaultValue("15m") Duration window) {
	}

	public IdentityProperties {
		accounts = accounts == null ? List.of() : List.copyOf(accounts);
		clients = clients == null ? Map.of() : Map.copyOf(clients);
		introspectionClients = introspectionClients == null ? Set.of() : Set.copyOf(introspectionClients);
	}

	/**
	 * @param dir folder of RSA JWK files ({@code <kid>.json}); one is generated when it is empty
	 * @param active the key id that signs; others are only published, for a roll-over. Empty: the
	 * newest file
	 */
	public record Keys(@DefaultValue("keys") Path dir, @DefaultValue("") String active) {
	}

	/**
	 * A person who signs in. The subject is an opaque, stable id — never the NIK or another
	 * identifier that means something outside the platform.
	 */
	public record Account(String username, String password, String subject, String name, List<String> roles, String mpp,
			String agency) {

		public Binding binding() {
			return new Binding(this.roles, this.mpp, this.agency);
		}

	}

	/**
	 * Roles and the tenant bindings that decide what a token may do: an officer works for one agency
	 * at one MPP, an MPP administrator for one MPP, an agency system for one agency.
	 */
	public record Binding(List<String> roles, String mpp, String agency) {

		public Binding {
			roles = roles == null ? List.of() : List.copyOf(roles);
		}

	}

}
