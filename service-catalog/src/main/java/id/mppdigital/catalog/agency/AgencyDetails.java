package id.mppdigital.catalog.agency;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a platform administrator sets on an agency; the id comes from the path. */
record AgencyDetails(@NotBlank @Size(max = 200) String name, @NotNull Agency.Kind kind,
		@NotNull Agency.Integration integration, @NotNull @Valid ContactDetails contact) {

	record ContactDetails(@Email @Size(max = 200) String email,
			@Pattern(regexp = "\\+?[0-9 ()-]{5,20}", message = "must be a telephone number") String phone,
			@Pattern(regexp = "https://\\S+", message = "must be an https URL") String website) {
	}

	Agency toAgency(String id) {
		return new Agency(id, this.name.strip(), this.kind, this.integration,
				new Agency.Contact(this.contact.email(), this.contact.phone(), this.contact.website()));
	}

}
