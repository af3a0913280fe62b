package id.mppdigital.identity;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gets tokens from the identity server the way real clients do: the web app's authorization code
 * flow with PKCE through the sign-in form, and an agency system's client credentials. No shortcut
 * exists on the server for tests to use.
 */
public final class IdentityClient {

	public static final String WEB_CLIENT = "mpp-web";

	public static final String WEB_REDIRECT = "http://127.0.0.1:3000/callback";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");

	private final String issuer;

	public IdentityClient(String issuer) {
		this.issuer = issuer;
	}

	/** Client credentials grant, client authenticated with HTTP Basic. */
	public String clientCredentials(String clientId, String secret) {
		return accessToken(tokenResponse(clientId, secret));
	}

	/** Asks the introspection endpoint about a token, as this client (HTTP Basic). */
	public HttpResponse<String> introspect(String clientId, String secret, String token) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/introspect"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token))))
			.build());
	}

	/** The token endpoint's answer to a client-credentials request with this secret. */
	public HttpResponse<String> tokenResponse(String clientId, String secret) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build());
	}

	/** Signs in through the form and redeems the code with its PKCE verifier; empty if sign-in fails. */
	public Optional<String> signIn(String username, String password) {
		return session(username, password).map(Session::accessToken);
	}

	/**
	 * Signs in as a browser does, keeping the identity server's session cookie: the returned session
	 * can renew its token the way apps do (a silent {@code prompt=none} authorization).
	 */
	public Optional<Session> session(String username, String password) {
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		send(http, HttpRequest.newBuilder(URI.create(authorizeUrl(challenge(random()), Map.of())))
			.header("Accept", "text/html").build());
		String login = send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/login")).build()).body();
		Matcher csrf = CSRF.matcher(login);
		if (!csrf.find()) {
			throw new IllegalStateException("no CSRF token on the sign-in page");
		}
		send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("username", username, "password", password, "_csrf", csrf.group(1)))))
			.build());
		return authorize(http, Map.of()).map(tokens -> new Session(http, tokens));
	}

	/** The authorization code flow with PKCE on a browser's cookies: the token response, if a code came back. */
	private Optional<String> authorize(HttpClient http, Map<String, String> extra) {
		String verifier = random();
		HttpResponse<String> redirect = send(http,
				HttpRequest.newBuilder(URI.create(authorizeUrl(challenge(verifier), extra)))
					.header("Accept", "text/html")
					.build());
		String location = redirect.headers().firstValue("Location").orElse("");
		Matcher code = CODE.matcher(location);
		if (redirect.statusCode() != 302 || !location.startsWith(WEB_REDIRECT) || !code.find()) {
			return Optional.empty();
		}
		HttpResponse<String> token = send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "client_id",
					WEB_CLIENT, "code", code.group(1), "redirect_uri", WEB_REDIRECT, "code_verifier", verifier))))
			.build());
		accessToken(token);
		return Optional.of(token.body());
	}

	private String authorizeUrl(String challenge, Map<String, String> extra) {
		Map<String, String> parameters = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", WEB_CLIENT,
				"scope", "openid", "redirect_uri", WEB_REDIRECT, "state", random(), "code_challenge", challenge,
				"code_challenge_method", "S256"));
		parameters.putAll(extra);
		return this.issuer + "/oauth2/authorize?" + form(parameters);
	}

	/** A signed-in browser or app: its token response and the identity server's session cookie. */
	public final class Session {

		private final HttpClient http;

		private final String tokenResponse;

		private Session(HttpClient http, String tokenResponse) {
			this.http = http;
			this.tokenResponse = tokenResponse;
		}

		public String accessToken() {
			return IdentityClient.accessToken(this.tokenResponse);
		}

		/** The token endpoint's whole answer (which tokens were issued). */
		public String tokenResponse() {
			return this.tokenResponse;
		}

		/** Where the identity server sends this signed-in browser when a code is asked for this redirect URI. */
		public HttpResponse<String> authorizeFor(String redirectUri) {
			return send(this.http, HttpRequest
				.newBuilder(URI.create(authorizeUrl(challenge(random()), Map.of("redirect_uri", redirectUri))))
				.header("Accept", "text/html")
				.build());
		}

		/** A new access token without the password, as an app renews one; empty when the session is gone. */
		public Optional<String> renewSilently() {
			return authorize(this.http, Map.of("prompt", "none")).map(IdentityClient::accessToken);
		}

	}

	private static String accessToken(HttpResponse<String> response) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
		}
		return accessToken(response.body());
	}

	private static String accessToken(String tokenResponse) {
		Matcher token = ACCESS_TOKEN.matcher(tokenResponse);
		if (!token.find()) {
			throw new IllegalStateException("no access token in " + tokenResponse);
		}
		return token.group(1);
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String form(Map<String, String> fields) {
		return new LinkedHashMap<>(fields).entrySet()
			.stream()
			.map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String random() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
