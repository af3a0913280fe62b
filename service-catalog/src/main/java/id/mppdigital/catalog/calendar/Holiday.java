package id.mppdigital.catalog.calendar;

import java.time.LocalDate;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A day an MPP is closed although it would be open: a national or local holiday, or collective leave. */
public record Holiday(@NotNull LocalDate date, @NotBlank @Size(max = 200) String name) {
}
