package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.SettingRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A channel's settings with their {@code ${NAME}} references looked up. Every value that came from a reference is
 * treated as a secret (a webhook URL holds its token, a routing key is one): {@link #mask} puts the reference back in
 * its place in any text before it is logged, printed, stored or shown.
 *
 * @param spec   the catalog item
 * @param values each setting's value, references looked up; an unset reference has no value here
 * @param refs   setting → the variable its value came from
 * @param unset  the variables referenced but not set, sorted
 */
public record ChannelSettings(ChannelSpec spec, Map<String, String> values, Map<String, String> refs,
                              List<String> unset) {
    /** Shorter values are not masked: they could not be told from ordinary words (no real secret is this short). */
    static final int MIN_MASKED_LENGTH = 6;

    public ChannelSettings {
        Objects.requireNonNull(spec, "spec");
        values = Map.copyOf(values);
        refs = Map.copyOf(refs);
        unset = List.copyOf(unset);
    }

    /** Looks the spec's references up in {@code variables}. */
    public static ChannelSettings resolve(ChannelSpec spec, Variables variables) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> refs = new LinkedHashMap<>();
        TreeSet<String> unset = new TreeSet<>();
        for (Map.Entry<String, String> s : spec.settings().entrySet()) {
            Optional<String> ref = SettingRef.name(s.getValue());
            if (ref.isEmpty()) {
                values.put(s.getKey(), s.getValue());
                continue;
            }
            refs.put(s.getKey(), ref.get());
            Optional<String> v = variables.get(ref.get());
            if (v.isPresent()) {
                values.put(s.getKey(), v.get());
            } else {
                unset.add(ref.get());
            }
        }
        return new ChannelSettings(spec, values, refs, List.copyOf(unset));
    }

    /** The spec with the looked-up values in place of the references (unset ones left out). */
    public ChannelSpec resolvedSpec() {
        return new ChannelSpec(spec.type(), values, spec.where());
    }

    /** The setting's value, or null. */
    public String get(String setting) {
        return values.get(setting);
    }

    /** Whether the setting came from a reference (and is therefore a secret). */
    public boolean secret(String setting) {
        return refs.containsKey(setting);
    }

    /** How the setting may be shown: its reference ({@code ${NAME}}) when it is a secret, else its value. */
    public String shown(String setting) {
        String ref = refs.get(setting);
        return ref != null ? SettingRef.of(ref) : values.get(setting);
    }

    /**
     * The text with every secret value (also URL-encoded) replaced by its reference, longest first so a value that
     * contains another is masked whole. Null stays null.
     */
    public String mask(String text) {
        if (text == null || refs.isEmpty()) {
            return text;
        }
        List<Map.Entry<String, String>> secrets = new ArrayList<>();
        for (Map.Entry<String, String> r : refs.entrySet()) {
            String v = values.get(r.getKey());
            if (v != null && v.length() >= MIN_MASKED_LENGTH) {
                secrets.add(Map.entry(v, SettingRef.of(r.getValue())));
            }
        }
        secrets.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        String out = text;
        for (Map.Entry<String, String> s : secrets) {
            out = out.replace(s.getKey(), s.getValue());
            String encoded = URLEncoder.encode(s.getKey(), StandardCharsets.UTF_8);
            if (!encoded.equals(s.getKey())) {
                out = out.replace(encoded, s.getValue());
            }
        }
        return out;
    }
}
