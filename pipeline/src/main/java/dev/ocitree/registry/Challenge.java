package dev.ocitree.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: a scheme ({@code basic}, {@code bearer}, lower-cased)
 * and its parameters ({@code realm}, {@code service}, {@code scope}, {@code error}). Parameters are
 * {@code key=token} or {@code key="quoted"} (quoted values may hold commas and {@code \"}).
 */
record Challenge(String scheme, Map<String, String> params) {

    /** All challenges of the given header values, in order. */
    static List<Challenge> parse(List<String> headers) {
        List<Challenge> out = new ArrayList<>();
        for (String header : headers) {
            parseOne(header, out);
        }
        return out;
    }

    /** The Bearer challenge if there is one, else the first, else {@code null}. */
    static Challenge preferred(List<Challenge> challenges) {
        return challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst()
                .orElse(challenges.isEmpty() ? null : challenges.get(0));
    }

    String param(String name) {
        return params.get(name);
    }

    private static void parseOne(String s, List<Challenge> out) {
        int i = 0;
        int n = s.length();
        Challenge current = null;
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '=' && s.charAt(i) != ',') {
                i++;
            }
            if (start == i) {
                break;
            }
            String token = s.substring(start, i);
            int j = i;
            while (j < n && s.charAt(j) == ' ') {
                j++;
            }
            if (j < n && s.charAt(j) == '=' && current != null) {
                i = j + 1;
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    while (i < n && s.charAt(i) != '"') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(s.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                        value.append(s.charAt(i++));
                    }
                }
                current.params().put(token.toLowerCase(Locale.ROOT), value.toString());
            } else {
                current = new Challenge(token.toLowerCase(Locale.ROOT), new LinkedHashMap<>());
                out.add(current);
            }
        }
    }
}
