package id.mppdigital.catalog.standard;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A text in Bahasa Indonesia (required: the legal text) and English. */
public record LocalizedText(@NotBlank @Size(max = 4000) String id, @Size(max = 4000) String en) {

	/** The text in the asked language, Bahasa Indonesia when there is no English. */
	public String in(String language) {
		return "en".equals(language) && this.en != null && !this.en.isBlank() ? this.en : this.id;
	}

}
