package id.mppdigital.identity;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows password guessing at the sign-in form and secret guessing at the token endpoints: after
 * {@code maxFailures} wrong passwords for one account (or wrong secrets for one client), or
 * {@code maxFailuresPerAddress} from one address, within {@code window}, further attempts for it
 * are refused with {@code 429} and {@code Retry-After} until the window has passed (a successful
 * sign-in clears the account's count). Counts live in this instance's memory.
 */
class SignInThrottle extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	/** Where machine clients authenticate with their secret. */
	private static final Set<String> CLIENT_ENDPOINTS = Set.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke");

	private final IdentityProperties.SignIn settings;

	private final Cache<String, AtomicInteger> failures;

	SignInThrottle(IdentityProperties.SignIn settings) {
		this.settings = settings;
		this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.window()).build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod())
				&& ("/login".equals(request.getServletPath()) || CLIENT_ENDPOINTS.contains(request.getServletPath())));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean client = CLIENT_ENDPOINTS.contains(request.getServletPath());
		String key = client ? client(clientId(request)) : account(request.getParameter("username"));
		String address = address(request.getRemoteAddr());
		if (count(key) >= this.settings.maxFailures() || count(address) >= this.settings.maxFailuresPerAddress()) {
			refuse(response, client);
			return;
		}
		chain.doFilter(request, response);
		// a wrong client secret (or an unknown client) is the token endpoint's 401 invalid_client
		if (client && response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
			if (increment(key) == this.settings.maxFailures()) {
				log.warn("Client authentication locked for {} after {} failed attempts", key, this.settings.maxFailures());
			}
			increment(address);
		}
	}

	private void refuse(HttpServletResponse response, boolean client) throws IOException {
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.settings.window().toSeconds()));
		if (client) {
			// the token endpoint's own error shape (RFC 6749 5.2)
			response.setContentType("application/json;charset=UTF-8");
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":\"Too many failed client "
					+ "authentications. Try again in " + this.settings.window().toMinutes() + " minutes.\"}");
			return;
		}
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write("Too many failed sign-ins. Try again in " + this.settings.window().toMinutes()
				+ " minutes.");
	}

	/** The client id of {@code client_secret_basic} (the Basic user) or {@code client_secret_post}. */
	private static String clientId(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			try {
				String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
						StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				return URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return "";
			}
		}
		String posted = request.getParameter("client_id");
		return posted == null ? "" : posted;
	}

	@EventListener
	void failed(AuthenticationFailureBadCredentialsEvent event) {
		int forAccount = increment(account(event.getAuthentication().getName()));
		if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
			increment(address(details.getRemoteAddress()));
		}
		if (forAccount == this.settings.maxFailures()) {
			log.warn("Sign-in locked for {} after {} failed attempts", event.getAuthentication().getName(), forAccount);
		}
	}

	@EventListener
	void succeeded(AuthenticationSuccessEvent event) {
		this.failures.invalidate(account(event.getAuthentication().getName()));
	}

	private int count(String key) {
		AtomicInteger count = this.failures.getIfPresent(key);
		return count == null ? 0 : count.get();
	}

	private int increment(String key) {
		return this.failures.get(key, any -> new AtomicInteger()).incrementAndGet();
	}

	private static String account(String username) {
		return "account:" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
	}

	private static String client(String clientId) {
		return "client:" + clientId;
	}

	private static String address(String address) {
		return "address:" + address;
	}

}
