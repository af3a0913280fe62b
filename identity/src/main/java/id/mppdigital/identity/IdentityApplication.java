package id.mppdigital.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The platform's OAuth 2.1 / OpenID Connect authorization server (Spring Authorization Server). It
 * signs the JWT access tokens that the gateway and every service validate; any other OIDC provider
 * issuing the same claims can replace it (docs/security.md).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IdentityApplication {

	public static void main(String[] args) {
		SpringApplication.run(IdentityApplication.class, args);
	}

}
