package io.jobwatch.cli;

import io.jobwatch.core.catalog.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Duration options in Jobwatch's one duration syntax ({@link Durations}: 90m, 2h, 1h30m, 7d, PT2H); positive only. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration d = Durations.parse(value);
            if (d.isZero()) {
                throw new TypeConversionException("'" + value + "' must be a positive duration");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
