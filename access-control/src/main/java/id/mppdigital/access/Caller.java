package id.mppdigital.access;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import id.mppdigital.problems.Problems;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;

/**
 * Who is calling, read from a validated access token and nothing else: never from a header or body
 * field a client could set. Services decide with it together with the resource's owner, MPP and
 * agency (docs/security.md lists the rules).
 *
 * @param subject opaque id of the person or machine client ({@code sub})
 * @param roles the platform roles ({@code roles})
 * @param mpp the MPP an officer or MPP administrator is bound to ({@code mpp}), else null
 * @param agency the agency an officer or agency system is bound to ({@code agency}), else null
 */
public record Caller(String subject, Set<String> roles, String mpp, String agency) {

	public static final String CITIZEN = "citizen";

	public static final String OFFICER = "officer";

	public static final String MPP_ADMIN = "mpp_admin";

	public static final String PLATFORM_ADMIN = "platform_admin";

	public static final String AGENCY_SYSTEM = "agency_system";

	public static final String OPERATOR = "operator";

	public Caller {
		roles = Set.copyOf(roles);
	}

	public static Caller of(Jwt jwt) {
		Collection<String> roles = jwt.getClaimAsStringList("roles");
		return new Caller(jwt.getSubject(), Set.copyOf(roles == null ? List.of() : roles), jwt.getClaimAsString("mpp"),
				jwt.getClaimAsString("agency"));
	}

	public boolean has(String role) {
		return this.roles.contains(role);
	}

	/** 403 unless the caller has one of the roles. */
	public Caller requireAnyRole(String... allowed) {
		for (String role : allowed) {
			if (has(role)) {
				return this;
			}
		}
		throw forbidden("This operation needs one of the roles " + String.join(", ", allowed) + ".");
	}

	/**
	 * 403 unless the caller may act for this MPP: a platform administrator, or someone bound to it
	 * (an MPP administrator or officer of that MPP).
	 */
	public Caller requireMpp(String mppId) {
		if (has(PLATFORM_ADMIN) || (this.mpp != null && this.mpp.equals(mppId))) {
			return this;
		}
		throw forbidden("You may not act for MPP '" + mppId + "'.");
	}

	/** 403 unless the caller is bound to this agency (an officer or agency system of it). */
	public Caller requireAgency(String agencyId) {
		if (this.agency != null && this.agency.equals(agencyId)) {
			return this;
		}
		throw forbidden("You may not act for agency '" + agencyId + "'.");
	}

	/**
	 * Whether this caller is the owner of a citizen's resource. A resource that is not theirs must be
	 * answered as absent (404), so that its existence is not revealed.
	 */
	public boolean owns(String ownerSubject) {
		return this.subject != null && this.subject.equals(ownerSubject);
	}

	private static ErrorResponseException forbidden(String detail) {
		return Problems.forbidden(detail);
	}

}
