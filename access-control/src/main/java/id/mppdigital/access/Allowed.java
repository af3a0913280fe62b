package id.mppdigital.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call a handler method at all, checked by {@link RoleGate} before its request
 * body is read: a caller without one gets 403 whatever it sent, never a 400 about a body it may not
 * send in the first place (which would also tell it what the body should look like). Finer rules
 * (this MPP, that agency, the owner) stay with the feature, which checks the roles again.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Allowed {

	/** {@link Caller}'s role names, e.g. {@link Caller#PLATFORM_ADMIN}. */
	String[] value();

}
