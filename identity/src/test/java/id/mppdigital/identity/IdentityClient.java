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
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build());
		return accessToken(response);
	}

	/** Signs in through the form and redeems the code with its PKCE verifier; empty if sign-in fails. */
	public Optional<String> signIn(String username, String password) {
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		String verifier = random();
		String authorize = this.issuer + "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
				WEB_CLIENT, "scope", "openid", "redirect_uri", WEB_REDIRECT, "state", random(), "code_challenge",
				challenge(verifier), "code_challenge_method", "S256"));
		send(http, HttpRequest.newBuilder(URI.create(authorize)).header("Accept", "text/html").build());
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
		HttpResponse<String> redirect = send(http,
				HttpRequest.newBuilder(URI.create(authorize)).header("Accept", "text/html").build());
		Matcher code = CODE.matcher(redirect.headers().firstValue("Location").orElse(""));
		if (redirect.statusCode() != 302 || !code.find()
				|| !redirect.headers().firstValue("Location").orElse("").startsWith(WEB_REDIRECT)) {
			return Optional.empty();
		}
		HttpResponse<String> token = send(http, HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "client_id",
					WEB_CLIENT, "code", code.group(1), "redirect_uri", WEB_REDIRECT, "code_verifier", verifier))))
			.build());
		return Optional.of(accessToken(token));
	}

	private static String accessToken(HttpResponse<String> response) {
		Matcher token = ACCESS_TOKEN.matcher(response.body());
		if (response.statusCode() != 200 || !token.find()) {
			throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
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
