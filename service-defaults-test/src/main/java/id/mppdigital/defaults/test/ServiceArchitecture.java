package id.mppdigital.defaults.test;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.repository.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape every service follows (docs/architecture.md), as rules a service's
 * {@code ArchitectureTests} checks against its own main classes:
 * <ul>
 * <li>its feature packages have no cycles;</li>
 * <li>it depends on no other service's classes (services share contracts, not code);</li>
 * <li>a controller reaches no store — no repository, no Mongo template — of its own feature or
 * another (it calls the feature's class, which holds the rules, access and persistence);</li>
 * <li>a class is public only if another package uses it.</li>
 * </ul>
 */
public final class ServiceArchitecture {

	/** The base package of every deployable module; a service may depend on none but its own. */
	static final Set<String> SERVICES = Set.of("id.mppdigital.catalog", "id.mppdigital.application",
			"id.mppdigital.queue", "id.mppdigital.notification", "id.mppdigital.adapter", "id.mppdigital.gateway",
			"id.mppdigital.identity", "id.mppdigital.registry");

	private final String basePackage;

	/** The service's own main classes. */
	private final JavaClasses main;

	/** The same with its tests, which may be what uses a class from another package. */
	private final JavaClasses withTests;

	private ServiceArchitecture(String basePackage, JavaClasses main, JavaClasses withTests) {
		this.basePackage = basePackage;
		this.main = main;
		this.withTests = withTests;
	}

	/** The service under this package (libraries left out). */
	public static ServiceArchitecture of(String basePackage) {
		return new ServiceArchitecture(basePackage,
				new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
					.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
					.importPackages(basePackage),
				new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
					.importPackages(basePackage));
	}

	public void featuresHaveNoCycles() {
		featuresHaveNoCyclesRule().check(this.main);
	}

	public void dependsOnNoOtherService() {
		dependsOnNoOtherServiceRule().check(this.main);
	}

	public void controllersStayInTheirFeature() {
		controllersStayInTheirFeatureRule().check(this.main);
	}

	public void publicOnlyWhenUsedElsewhere() {
		publicOnlyWhenUsedElsewhereRule().check(this.withTests);
	}

	private static final DescribedPredicate<JavaClass> MAIN = DescribedPredicate.describe("main code",
			javaClass -> javaClass.getSource()
				.map(source -> !source.getUri().toString().contains("/test-classes/"))
				.orElse(true));

	ArchRule featuresHaveNoCyclesRule() {
		return slices().matching(this.basePackage + ".(*)..").should().beFreeOfCycles()
			.allowEmptyShould(true)
			.because("a feature package depends on another one way only (docs/architecture.md)");
	}

	ArchRule dependsOnNoOtherServiceRule() {
		String[] others = SERVICES.stream()
			.filter(service -> !service.equals(this.basePackage))
			.map(service -> service + "..")
			.toArray(String[]::new);
		return noClasses().should().dependOnClassesThat().resideInAnyPackage(others)
			.allowEmptyShould(true)
			.because("services share contracts (schemas), not classes");
	}

	ArchRule controllersStayInTheirFeatureRule() {
		return classes().that().areAnnotatedWith(RestController.class)
			.should(new ArchCondition<>("reach no store (a repository or the Mongo template): the feature's class does") {
				@Override
				public void check(JavaClass controller, ConditionEvents events) {
					for (Dependency dependency : controller.getDirectDependenciesFromSelf()) {
						JavaClass target = dependency.getTargetClass();
						boolean store = target.isAssignableTo(Repository.class)
								|| target.isAssignableTo(ReactiveMongoOperations.class)
								|| target.isAssignableTo(MongoOperations.class);
						if (store) {
							events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
									+ ": controllers speak HTTP; the feature's class holds its rules, access and persistence"));
						}
					}
				}
			})
			.allowEmptyShould(true);
	}

	ArchRule publicOnlyWhenUsedElsewhereRule() {
		DescribedPredicate<JavaClass> entryPoint = DescribedPredicate.describe("the application class",
				javaClass -> javaClass.isAnnotatedWith(SpringBootApplication.class));
		return classes().that(MAIN).and().haveModifier(JavaModifier.PUBLIC).and().areTopLevelClasses()
			.and(DescribedPredicate.not(entryPoint))
			.should(new ArchCondition<>("be used from another package (else package-private)") {
				@Override
				public void check(JavaClass javaClass, ConditionEvents events) {
					if (hasPublicConstants(javaClass)) {
						// compile-time constants (topic names in @KafkaListener) are inlined: no trace to follow
						return;
					}
					boolean usedElsewhere = usedFromAnotherPackage(javaClass, javaClass.getPackageName());
					if (!usedElsewhere) {
						events.add(SimpleConditionEvent.violated(javaClass,
								javaClass.getName() + " is public but no other package uses it"));
					}
				}
			})
			.allowEmptyShould(true);
	}

	/** Used by another package: the class itself, or one of its nested types (a record it returns). */
	private static boolean usedFromAnotherPackage(JavaClass javaClass, String ownPackage) {
		boolean direct = javaClass.getDirectDependenciesToSelf()
			.stream()
			.anyMatch(dependency -> !dependency.getOriginClass().getPackageName().equals(ownPackage));
		return direct || nested(javaClass).stream().anyMatch(inner -> usedFromAnotherPackage(inner, ownPackage));
	}

	private static java.util.Set<JavaClass> nested(JavaClass javaClass) {
		java.util.Set<JavaClass> nested = new java.util.HashSet<>();
		for (JavaClass candidate : javaClass.getPackage().getClasses()) {
			if (candidate.getEnclosingClass().map(javaClass::equals).orElse(false)) {
				nested.add(candidate);
			}
		}
		return nested;
	}

	private static boolean hasPublicConstants(JavaClass javaClass) {
		return javaClass.getFields().stream().anyMatch(field -> field.getModifiers().containsAll(
				Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC, JavaModifier.FINAL)));
	}

}
