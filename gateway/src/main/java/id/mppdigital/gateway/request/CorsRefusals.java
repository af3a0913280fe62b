package id.mppdigital.gateway.request;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * A browser request from an origin the gateway does not allow is refused with a problem document
 * like every other refusal, not Spring's empty 403: the developer of a web app sees why in the
 * network tab. Applies to the routes' and the gateway's own handler mappings.
 */
@Component
class CorsRefusals implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractHandlerMapping mapping) {
			mapping.setCorsProcessor(new ProblemCorsProcessor());
		}
		return bean;
	}

	static final class ProblemCorsProcessor extends DefaultCorsProcessor {

		@Override
		protected void rejectRequest(ServerHttpResponse response) {
			// ProblemExceptionHandler turns it into the problem document
			throw new ResponseStatusException(HttpStatus.FORBIDDEN,
					"This origin may not call the API from a browser (CORS); the allowed origins are configured in MPP_CORS_ORIGINS.");
		}

	}

}
