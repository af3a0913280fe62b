package id.mppdigital.application.applications;

import id.mppdigital.access.Caller;
import id.mppdigital.application.applications.Application.State;
import id.mppdigital.problems.Problems;

import org.springframework.data.mongodb.core.query.Criteria;

/**
 * Who may see and move an application (docs/security.md): its applicant; an officer of its agency at
 * its MPP; its agency's system. Another citizen's application is absent (404) — not even its
 * existence is revealed — and another agency's or MPP's is forbidden to staff and machines (403).
 */
final class ApplicationAccess {

	private ApplicationAccess() {
	}

	static RuntimeException notFound(String id) {
		return Problems.notFound("No application '" + id + "'.");
	}

	/** The application, if the caller may read it; else the 404 or 403 they get. */
	static Application readable(Caller caller, Application application) {
		if (caller.owns(application.applicant())) {
			return application;
		}
		if (!actsAsStaff(caller)) {
			throw notFound(application.id());
		}
		requireHandler(caller, application);
		return application;
	}

	/**
	 * The role in which the caller moves the application to {@code next}: staff of its agency (never
	 * withdrawing for the citizen), or its applicant, who may only withdraw it.
	 */
	static String roleToMove(Caller caller, Application application, State next, String agencyReference) {
		if (!actsAsStaff(caller)) {
			if (!caller.owns(application.applicant())) {
				throw notFound(application.id());
			}
			if (next != State.WITHDRAWN || agencyReference != null) {
				throw Problems.forbidden("An applicant may only withdraw their application.");
			}
			return Caller.CITIZEN;
		}
		requireHandler(caller, application);
		if (next == State.WITHDRAWN) {
			throw Problems.forbidden("Only the applicant withdraws an application.");
		}
		return caller.has(Caller.AGENCY_SYSTEM) ? Caller.AGENCY_SYSTEM : Caller.OFFICER;
	}

	/**
	 * The applications a caller works with: a citizen's own; an officer's agency at their MPP; an
	 * agency system's agency everywhere.
	 */
	static Criteria listable(Caller caller) {
		if (caller.has(Caller.CITIZEN)) {
			return Criteria.where("applicant").is(caller.subject());
		}
		if (caller.has(Caller.OFFICER) && caller.agency() != null && caller.mpp() != null) {
			return Criteria.where("agencyId").is(caller.agency()).and("mppId").is(caller.mpp());
		}
		if (caller.has(Caller.AGENCY_SYSTEM) && caller.agency() != null) {
			return Criteria.where("agencyId").is(caller.agency());
		}
		throw Problems.forbidden("Only citizens, officers and agency systems have applications to list.");
	}

	/** Officers and agency systems handle applications; everyone else who gets this far is a citizen. */
	private static boolean actsAsStaff(Caller caller) {
		return caller.has(Caller.OFFICER) || caller.has(Caller.AGENCY_SYSTEM);
	}

	private static void requireHandler(Caller caller, Application application) {
		caller.requireAnyRole(Caller.OFFICER, Caller.AGENCY_SYSTEM).requireAgency(application.agencyId());
		if (!caller.has(Caller.AGENCY_SYSTEM)) {
			caller.requireMpp(application.mppId());
		}
	}

}
