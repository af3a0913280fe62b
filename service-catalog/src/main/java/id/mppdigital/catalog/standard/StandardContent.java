package id.mppdigital.catalog.standard;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * A service standard (standar pelayanan) as the law requires it to be published — the six
 * components (requirements; procedure; processing time; fee; product; complaint handling) — plus
 * what the platform needs to run it: channels, the application form and the queue prefix.
 *
 * @param agencyId the agency that delivers the service
 * @param name service name
 * @param description what the service is for
 * @param requirements documents and conditions (persyaratan)
 * @param procedure ordered steps (sistem, mekanisme, prosedur)
 * @param processingDays processing time in working days (jangka waktu)
 * @param fee fee or tariff (biaya/tarif)
 * @param product what the citizen receives (produk pelayanan)
 * @param complaintChannel where complaints, suggestions and feedback go (penanganan pengaduan)
 * @param legalBasis laws and regulations the standard rests on (dasar hukum)
 * @param channels where the service can be applied for
 * @param applicationForm JSON Schema of the application form (an object schema)
 * @param queuePrefix prefix of queue numbers at the counter, e.g. {@code KK} for KK-012
 */
public record StandardContent(@NotBlank @Size(max = 64) String agencyId, @NotNull @Valid LocalizedText name,
		@NotNull @Valid LocalizedText description, @NotNull @Size(max = 50) List<@Valid @NotNull Requirement> requirements,
		@NotEmpty @Size(max = 50) List<@Valid @NotNull LocalizedText> procedure, @Positive @Max(3650) int processingDays,
		@NotNull @Valid Fee fee, @NotNull @Valid LocalizedText product, @NotBlank @Size(max = 1000) String complaintChannel,
		@NotEmpty @Size(max = 30) List<@NotBlank @Size(max = 500) String> legalBasis, @NotNull Channels channels,
		@NotNull JsonNode applicationForm,
		@NotNull @Pattern(regexp = "[A-Z]{1,3}", message = "must be 1 to 3 capital letters") String queuePrefix) {

	/** A document or condition; {@code upload} when the citizen must upload it with an online application. */
	public record Requirement(@NotNull @Valid LocalizedText name, boolean upload) {
	}

	/** Fee in rupiah; {@code 0} for a free service. The legal basis says why it is what it is. */
	public record Fee(@PositiveOrZero long amountIdr, @NotBlank @Size(max = 500) String legalBasis) {
	}

	public enum Channels {

		ONLINE, COUNTER, BOTH

	}

}
