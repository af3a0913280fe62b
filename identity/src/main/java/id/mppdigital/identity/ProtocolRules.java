package id.mppdigital.identity;

import java.util.List;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Where the platform is stricter than Spring Authorization Server's defaults.
 * <ul>
 * <li>A redirect URI must be exactly one the client registered. The default also accepts a
 * loopback redirect on any port (RFC 8252 7.3), a rule for native apps that listen on a random local
 * port; no client of the platform does, and for the web client it let {@code 127.0.0.1:3001}, port
 * 80 or no port receive a citizen's authorization code.</li>
 * <li>Token introspection answers only the clients named in {@code mpp.identity.introspection-clients}
 * (none by default: every resource server checks the JWTs itself). Any other client learns nothing:
 * the answer is {@code {"active": false}} (RFC 7662 2.2), never the subject and roles of another
 * caller's token.</li>
 * </ul>
 */
final class ProtocolRules {

	private ProtocolRules() {
	}

	/** Applies the exact redirect-URI rule to the authorization endpoint's providers. */
	static void exactRedirectUris(List<AuthenticationProvider> providers) {
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider authorization) {
				authorization.setAuthenticationValidator(
						new OAuth2AuthorizationCodeRequestAuthenticationValidator().andThen(ProtocolRules::exactRedirectUri));
			}
		}
	}

	private static void exactRedirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		String asked = request.getRedirectUri();
		if (asked == null || context.getRegisteredClient().getRedirectUris().contains(asked)) {
			return;
		}
		// as the default validator does for a wrong redirect: an error page here, never a redirect to it
		OAuth2AuthorizationCodeRequestAuthenticationToken withoutRedirect = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(), null,
				request.getState(), request.getScopes(), request.getAdditionalParameters());
		throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
				"OAuth 2.0 Parameter: redirect_uri (it must be exactly one the client registered)", null), withoutRedirect);
	}

	/** Limits the introspection endpoint's providers to the allowed clients. */
	static void introspectionFor(Set<String> allowedClients, List<AuthenticationProvider> providers) {
		providers.replaceAll(provider -> new AllowedIntrospection(provider, allowedClients));
	}

	private record AllowedIntrospection(AuthenticationProvider delegate, Set<String> allowedClients)
			implements AuthenticationProvider {

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			if (authentication instanceof OAuth2TokenIntrospectionAuthenticationToken introspection
					&& introspection.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
					&& !this.allowedClients.contains(client.getRegisteredClient().getClientId())) {
				OAuth2TokenIntrospectionAuthenticationToken inactive = new OAuth2TokenIntrospectionAuthenticationToken(
						introspection.getToken(), client, OAuth2TokenIntrospection.builder().build());
				inactive.setAuthenticated(true);
				return inactive;
			}
			return this.delegate.authenticate(authentication);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return this.delegate.supports(authentication);
		}

	}

}
