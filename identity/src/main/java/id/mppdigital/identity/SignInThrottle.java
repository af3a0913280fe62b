package id.mppdigital.identity;

import java.io.IOException;
import java.util.Locale;
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
 * Slows password guessing at the sign-in form: after {@code maxFailures} wrong passwords for one
 * account, or {@code maxFailuresPerAddress} from one address, within {@code window}, further sign-in
 * attempts for it are refused with {@code 429} and {@code Retry-After} until the window has passed
 * (a successful sign-in clears the account's count). Counts live in this instance's memory.
 */
class SignInThrottle extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	private final IdentityProperties.SignIn settings;

	private final Cache<String, AtomicInteger> failures;

	SignInThrottle(IdentityProperties.SignIn settings) {
		this.settings = settings;
		this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.window()).build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String account = account(request.getParameter("username"));
		if (count(account) >= this.settings.maxFailures()
				|| count(address(request.getRemoteAddr())) >= this.settings.maxFailuresPerAddress()) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.settings.window().toSeconds()));
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().write("Too many failed sign-ins. Try again in " + this.settings.window().toMinutes()
					+ " minutes.");
			return;
		}
		chain.doFilter(request, response);
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

	private static String address(String address) {
		return "address:" + address;
	}

}
