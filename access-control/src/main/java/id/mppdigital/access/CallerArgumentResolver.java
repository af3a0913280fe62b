package id.mppdigital.access;

import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Lets a handler method take the {@link Caller} as a parameter (401 without a token), or an
 * {@code Optional<Caller>} on a public endpoint that shows more to some callers.
 */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Caller.class.equals(parameter.getParameterType()) || (Optional.class.equals(parameter.getParameterType())
				&& Caller.class.equals(parameter.nested().getNestedParameterType()));
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		Mono<Caller> caller = exchange.getPrincipal()
			.filter(JwtAuthenticationToken.class::isInstance)
			.map(principal -> Caller.of(((JwtAuthenticationToken) principal).getToken()));
		if (Optional.class.equals(parameter.getParameterType())) {
			return caller.map(Optional::of).defaultIfEmpty(Optional.empty()).cast(Object.class);
		}
		return caller.cast(Object.class)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED,
					"An access token is required: send 'Authorization: Bearer <token>'.")));
	}

}
