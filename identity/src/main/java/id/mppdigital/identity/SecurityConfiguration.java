package id.mppdigital.identity;

import java.util.Set;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * One filter chain: the authorization server's protocol endpoints (OpenID Connect on, with the
 * platform's stricter rules, {@link ProtocolRules}), the sign-in form, and the throttle in front of
 * both ({@link SignInThrottle}). The actuator is on the management port, not here.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain authorizationServer(HttpSecurity http, SignInThrottle throttle, IdentityProperties properties)
			throws Exception {
		// before the authorization server's client authentication (and the sign-in form)
		http.addFilterBefore(throttle, LogoutFilter.class)
			.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.oauth2AuthorizationServer(server -> server.oidc(Customizer.withDefaults())
				.authorizationEndpoint(endpoint -> endpoint.authenticationProviders(ProtocolRules::exactRedirectUris))
				.tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(
						providers -> ProtocolRules.introspectionFor(properties.introspectionClients(), providers))))
			// the OIDC UserInfo endpoint takes the access token
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
			// people sign in with the form; browsers that are not signed in yet are sent to it
			.formLogin(Customizer.withDefaults())
			.exceptionHandling(exceptions -> exceptions
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers())
				.defaultAuthenticationEntryPointFor(new BearerTokenAuthenticationEntryPoint(), AnyRequestMatcher.INSTANCE));
		return http.build();
	}

	/** Requests that ask for HTML by name: an API client's catch-all {@code *}/{@code *} gets a 401. */
	private static MediaTypeRequestMatcher browsers() {
		MediaTypeRequestMatcher matcher = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		matcher.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return matcher;
	}

	@Bean
	SignInThrottle signInThrottle(IdentityProperties properties) {
		return new SignInThrottle(properties.signIn());
	}

	/** The throttle runs inside the security chain (before the form), not as a servlet filter of its own. */
	@Bean
	FilterRegistrationBean<SignInThrottle> signInThrottleRegistration(SignInThrottle throttle) {
		FilterRegistrationBean<SignInThrottle> registration = new FilterRegistrationBean<>(throttle);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	UserDetailsService accounts(IdentityProperties properties) {
		InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
		for (IdentityProperties.Account account : properties.accounts()) {
			manager.createUser(User.withUsername(account.username())
				.password(account.password())
				.roles(account.roles().stream().map(String::toUpperCase).toArray(String[]::new))
				.build());
		}
		return manager;
	}

	@Bean
	SigningKeys signingKeys(IdentityProperties properties) {
		return SigningKeys.load(properties.keys());
	}

	@Bean
	JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
		return (selector, context) -> selector.select(keys.all());
	}

	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(IdentityProperties properties, SigningKeys keys) {
		return new TokenClaims(properties, keys);
	}

}
