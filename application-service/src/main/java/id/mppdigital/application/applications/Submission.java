package id.mppdigital.application.applications;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A submission made with an {@code Idempotency-Key}: written before the application itself, under an
 * id derived from the applicant and the key, so that a repeated request (a retry after a lost answer,
 * a double tap) finds it and gets the same application instead of a second one. Its tracking number
 * is fixed here, so a submission interrupted between the two writes is completed by the retry.
 *
 * @param id hash of the applicant and the key
 * @param applicationId the tracking number the submission got
 * @param fingerprint hash of what was submitted: the same key with another request is refused
 */
@Document("submissions")
record Submission(@Id String id, String applicationId, String fingerprint) {
}
