package id.mppdigital.identity;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts into each token what the resource servers decide on: the audience, an opaque subject for
 * people, the roles and the MPP/agency bindings, and the id of the key that signs it. Names of the
 * claims: {@code roles}, {@code mpp}, {@code agency} (docs/security.md).
 */
class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final IdentityProperties properties;

	private final Map<String, IdentityProperties.Account> accounts;

	private final String keyId;

	TokenClaims(IdentityProperties properties, SigningKeys keys) {
		this.properties = properties;
		this.accounts = properties.accounts()
			.stream()
			.collect(Collectors.toMap(IdentityProperties.Account::username, Function.identity()));
		this.keyId = keys.active().getKeyID();
	}

	@Override
	public void customize(JwtEncodingContext context) {
		// several keys are published during a roll-over: name the one that signs
		context.getJwsHeader().keyId(this.keyId);
		boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (!accessToken && !idToken) {
			return;
		}
		IdentityProperties.Binding binding;
		if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
			binding = this.properties.clients().get(context.getRegisteredClient().getClientId());
		}
		else {
			IdentityProperties.Account account = account(context.getPrincipal());
			if (account == null) {
				return;
			}
			context.getClaims().subject(account.subject());
			if (idToken && account.name() != null) {
				context.getClaims().claim("name", account.name());
			}
			binding = account.binding();
		}
		if (accessToken) {
			context.getClaims().audience(List.of(this.properties.audience()));
		}
		if (binding == null) {
			return;
		}
		context.getClaims().claim("roles", binding.roles());
		if (binding.mpp() != null) {
			context.getClaims().claim("mpp", binding.mpp());
		}
		if (binding.agency() != null) {
			context.getClaims().claim("agency", binding.agency());
		}
	}

	private IdentityProperties.Account account(Authentication principal) {
		return principal == null ? null : this.accounts.get(principal.getName());
	}

}
