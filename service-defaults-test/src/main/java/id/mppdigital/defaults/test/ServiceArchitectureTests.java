package id.mppdigital.defaults.test;

import org.junit.jupiter.api.Test;

/**
 * The structure tests every service runs: {@code class ArchitectureTests extends
 * ServiceArchitectureTests} with its base package (docs/architecture.md, "The shape of a service").
 */
public abstract class ServiceArchitectureTests {

	private final ServiceArchitecture service;

	protected ServiceArchitectureTests(String basePackage) {
		this.service = ServiceArchitecture.of(basePackage);
	}

	@Test
	void itsFeaturePackagesHaveNoCycles() {
		this.service.featuresHaveNoCycles();
	}

	@Test
	void itDependsOnNoOtherServicesClasses() {
		this.service.dependsOnNoOtherService();
	}

	@Test
	void itsControllersReachNoStore() {
		this.service.controllersStayInTheirFeature();
	}

	@Test
	void aClassIsPublicOnlyWhenAnotherPackageUsesIt() {
		this.service.publicOnlyWhenUsedElsewhere();
	}

}
