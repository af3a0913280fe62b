package id.mppdigital.access;

import java.util.List;
import java.util.Objects;

import id.mppdigital.problems.ProblemWriter;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/**
 * Every request needs a valid access token except the module's declared public paths: signature
 * against the issuer's JWK set (RS256 only, so {@code alg: none} and HMAC tricks fail), issuer,
 * audience, expiry and not-before (both required). Stateless: no session, no saved request, no
 * CSRF (no cookies are read). Roles from the {@code roles} claim become {@code ROLE_<role>}; handler
 * methods can take the {@link Caller}.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
@EnableConfigurationProperties(AccessControlProperties.class)
public class AccessControlAutoConfiguration {

	/** Public on every module: what probes and Prometheus scrape, and the OpenAPI document. */
	static final List<String> ALWAYS_PUBLIC = List.of("GET /actuator/health", "GET /actuator/health/**",
			"GET /actuator/info", "GET /actuator/prometheus", "GET /v3/api-docs", "GET /v3/api-docs/**");

	@Bean
	@ConditionalOnMissingBean
	ReactiveJwtDecoder jwtDecoder(AccessControlProperties properties) {
		String issuer = properties.issuerUri().toString();
		NimbusReactiveJwtDecoder decoder = (properties.jwkSetUri() != null
				? NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
				: NimbusReactiveJwtDecoder.withIssuerLocation(issuer))
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator(properties));
		// a failure to reach the issuer (discovery, JWK set) is not the token's fault: make it one that
		// Spring Security reports as an authentication *service* failure (503), not a bad token (401)
		return token -> decoder.decode(token)
			.onErrorMap(ex -> !(ex instanceof JwtException),
					ex -> new JwtException("The issuer's keys could not be fetched: " + ex.getMessage(), ex));
	}

	static OAuth2TokenValidator<Jwt> validator(AccessControlProperties properties) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
		timestamps.setAllowEmptyExpiryClaim(false);
		return new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
				new JwtIssuerValidator(properties.issuerUri().toString()),
				new JwtAudienceValidator(properties.audience()));
	}

	@Bean
	@ConditionalOnMissingBean({ ServerAuthenticationEntryPoint.class, ServerAccessDeniedHandler.class })
	AccessProblems accessProblems(ProblemWriter problems) {
		return new AccessProblems(problems);
	}

	/** A URL the security firewall refuses (encoded slashes, dot segments...): a problem, not an empty 400. */
	@Bean
	@ConditionalOnMissingBean
	ServerExchangeRejectedHandler rejectedRequests(ProblemWriter problems) {
		return (exchange, rejected) -> problems.write(exchange, HttpStatus.BAD_REQUEST, "invalid-request",
				"The request's URL or headers are not accepted.");
	}

	@Bean
	@ConditionalOnMissingBean
	SecurityWebFilterChain accessControlFilterChain(ServerHttpSecurity http, AccessControlProperties properties,
			ReactiveJwtDecoder decoder, ServerAuthenticationEntryPoint entryPoint, ServerAccessDeniedHandler denied) {
		http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// Spring Security's Cache-Control: no-cache, no-store... on every answer that does not set
			// its own (the catalog's public reads do): an application with its form, an inbox, an
			// error never lands in a browser's, proxy's or the gateway's cache
			.authorizeExchange(exchanges -> {
				for (String path : ALWAYS_PUBLIC) {
					permit(exchanges, AccessControlProperties.PublicPath.parse(path));
				}
				for (AccessControlProperties.PublicPath path : properties.publicRules()) {
					permit(exchanges, path);
				}
				exchanges.anyExchange().authenticated();
			})
			.oauth2ResourceServer(resourceServer -> resourceServer
				.jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(roles()))
				.authenticationEntryPoint(entryPoint)
				.authenticationFailureHandler(failures(entryPoint))
				.accessDeniedHandler(denied))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied));
		return http.build();
	}

	/** Every failure to the entry point, service failures included (it answers those with 503). */
	static ServerAuthenticationEntryPointFailureHandler failures(ServerAuthenticationEntryPoint entryPoint) {
		ServerAuthenticationEntryPointFailureHandler handler = new ServerAuthenticationEntryPointFailureHandler(entryPoint);
		handler.setRethrowAuthenticationServiceException(false);
		return handler;
	}

	private static void permit(ServerHttpSecurity.AuthorizeExchangeSpec exchanges, AccessControlProperties.PublicPath path) {
		if (path.method() != null) {
			exchanges.pathMatchers(path.method(), path.pattern()).permitAll();
		}
		else {
			exchanges.pathMatchers(path.pattern()).permitAll();
		}
	}

	static Converter<Jwt, Mono<AbstractAuthenticationToken>> roles() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName("roles");
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		return new ReactiveJwtAuthenticationConverterAdapter(converter);
	}

	@Bean
	RoleGate roleGate(ObjectProvider<RequestMappingHandlerMapping> mappings, ProblemWriter problems) {
		return new RoleGate(mappings, problems);
	}

	@Bean
	WebFluxConfigurer callerArgument() {
		return new WebFluxConfigurer() {
			@Override
			public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
				configurer.addCustomResolver(new CallerArgumentResolver());
			}
		};
	}

}
