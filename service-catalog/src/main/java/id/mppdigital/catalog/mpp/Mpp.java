package id.mppdigital.catalog.mpp;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A public service mall (Mal Pelayanan Publik): the tenant every other record belongs to.
 *
 * @param id URL-safe slug, e.g. {@code kota-probolinggo}
 * @param name official name
 * @param regionCode Kemendagri code of the city or regency, e.g. {@code 35.74}
 * @param province province name
 * @param timeZone IANA zone: {@code Asia/Jakarta} (WIB), {@code Asia/Makassar} (WITA) or
 * {@code Asia/Jayapura} (WIT)
 * @param address street address of the building
 */
@Document("mpps")
public record Mpp(@Id String id, String name, String regionCode, String province, String timeZone, String address) {
}
