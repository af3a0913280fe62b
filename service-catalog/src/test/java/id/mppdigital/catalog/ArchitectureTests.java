package id.mppdigital.catalog;

import id.mppdigital.defaults.test.ServiceArchitectureTests;

/** This service keeps the shape every service follows (docs/architecture.md). */
class ArchitectureTests extends ServiceArchitectureTests {

	ArchitectureTests() {
		super("id.mppdigital.catalog");
	}

}
