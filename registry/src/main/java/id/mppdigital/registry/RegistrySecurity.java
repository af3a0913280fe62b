package id.mppdigital.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Nobody registers, renews, changes or removes an instance, or reads the registry, without
 * credentials (HTTP Basic), in every profile. Each module has its own user, named like its
 * application, and may write only its own application's entries ({@code /eureka/apps/<APP>/...}):
 * one compromised service cannot register as another and receive its traffic. Operators (the
 * launcher, Prometheus's discovery, people at the dashboard) read everything; only an operator may
 * change another application's entries. Health, info and metrics stay open (on the compose network
 * and loopback only; nothing else of the actuator is exposed).
 * <p>
 * Users come from {@code mpp.registry.users} ({@code name:password,...}, in compose and Kubernetes
 * from the environment, {@code MPP_REGISTRY_USERS}); operators are {@code mpp.registry.operators}.
 * Without users the registry does not start: an open registry is never the fallback.
 */
@Configuration(proxyBeanMethods = false)
class RegistrySecurity {

	static final String OPERATOR = "OPERATOR";

	@Bean
	SecurityFilterChain registry(HttpSecurity http) throws Exception {
		http.csrf(csrf -> csrf.ignoringRequestMatchers("/eureka/**"))
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/**").permitAll()
				// the error page of an answer already decided (a 404 for an unknown app or endpoint)
				.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
				.requestMatchers(HttpMethod.GET, "/eureka/**").authenticated()
				.requestMatchers("/eureka/apps/{app}", "/eureka/apps/{app}/**").access(itselfOrOperator())
				.anyRequest().hasRole(OPERATOR))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	/** A module writes its own application's entries; an operator any. */
	private static AuthorizationManager<RequestAuthorizationContext> itselfOrOperator() {
		return (authentication, context) -> {
			var caller = authentication.get();
			if (caller == null || !caller.isAuthenticated()) {
				return new AuthorizationDecision(false);
			}
			boolean operator = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_" + OPERATOR));
			String app = context.getVariables().get("app");
			return new AuthorizationDecision(operator || caller.getName().equalsIgnoreCase(app));
		};
	}

	@Bean
	UserDetailsService registryUsers(@Value("${mpp.registry.users:}") String users,
			@Value("${mpp.registry.operators:admin}") Set<String> operators, PasswordEncoder encoder) {
		List<UserDetails> details = new ArrayList<>();
		for (String entry : users.split(",")) {
			String trimmed = entry.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			int colon = trimmed.indexOf(':');
			if (colon <= 0 || colon == trimmed.length() - 1) {
				throw new IllegalStateException("mpp.registry.users: expected name:password, got an entry without both");
			}
			String name = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
			details.add(User.withUsername(name)
				.password(encoder.encode(trimmed.substring(colon + 1)))
				.roles(operators.contains(name) ? new String[] { OPERATOR } : new String[] { "MODULE" })
				.build());
		}
		if (details.isEmpty()) {
			throw new IllegalStateException("mpp.registry.users (MPP_REGISTRY_USERS) names no user: the registry "
					+ "does not run open; give each module name:password (./run-local.sh does)");
		}
		return new InMemoryUserDetailsManager(details);
	}

	/**
	 * Passwords are random machine secrets (128 bits from the launcher or the operator), checked on
	 * every heartbeat: a fast digest compared in constant time, not a slow password hash that would
	 * cost CPU on each renewal of every instance.
	 */
	@Bean
	PasswordEncoder digestEncoder() {
		return new PasswordEncoder() {

			@Override
			public String encode(CharSequence raw) {
				return HexFormat.of().formatHex(digest(raw));
			}

			@Override
			public boolean matches(CharSequence raw, String encoded) {
				return encoded != null && MessageDigest.isEqual(digest(raw), HexFormat.of().parseHex(encoded));
			}

			private byte[] digest(CharSequence raw) {
				try {
					return MessageDigest.getInstance("SHA-256").digest(raw.toString().getBytes(StandardCharsets.UTF_8));
				}
				catch (NoSuchAlgorithmException ex) {
					throw new IllegalStateException(ex);
				}
			}

		};
	}

}
