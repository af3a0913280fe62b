package id.mppdigital.catalog.mpp;

import id.mppdigital.defaults.MppTime;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an administrator may set on an MPP. The id is not here: it comes from the path (or, when
 * onboarding, from {@link MppOnboarding}), so a body cannot retarget a change at another MPP.
 */
record MppDetails(@NotBlank @Size(max = 200) String name,
		@NotBlank @Pattern(regexp = "\\d{2}\\.\\d{2}", message = "must be a Kemendagri city/regency code such as 35.74") String regionCode,
		@NotBlank @Size(max = 100) String province,
		@NotBlank @Pattern(regexp = MppTime.ZONE_PATTERN, message = "must be Asia/Jakarta, Asia/Makassar or Asia/Jayapura") String timeZone,
		@NotBlank @Size(max = 500) String address) {

	Mpp toMpp(String id) {
		return new Mpp(id, this.name.strip(), this.regionCode, this.province.strip(), this.timeZone, this.address.strip());
	}

}
