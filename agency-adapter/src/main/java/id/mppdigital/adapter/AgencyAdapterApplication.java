package id.mppdigital.adapter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The bridge between the platform's Kafka topics and each agency's own system (docs/agencies.md).
 */
@SpringBootApplication
@EnableScheduling
public class AgencyAdapterApplication {

	public static void main(String[] args) {
		SpringApplication.run(AgencyAdapterApplication.class, args);
	}

}
