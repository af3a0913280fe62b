package id.mppdigital.application.applications;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** Operators see the flow per agency: {@code mpp_applications_total{state, agency}}. */
@Component
class ApplicationCounts {

	private final MeterRegistry meters;

	ApplicationCounts(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Counts an application that reached its state (submitted, or moved), and passes it on. */
	Application counted(Application application) {
		this.meters.counter("mpp.applications", "state", application.state().name(), "agency", application.agencyId())
			.increment();
		return application;
	}

}
