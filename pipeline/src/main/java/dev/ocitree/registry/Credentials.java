package dev.ocitree.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for one registry; {@link #toString()} never shows the password.
 *
 * @param username the user
 * @param password the password (or identity token)
 * @param origin   where they came from, for messages: {@code --creds} or an auth file path
 */
record Credentials(String username, String password, String origin) {

    /** Splits {@code USER:PASSWORD} at the first colon. */
    static Credentials parse(String userColonPassword, String origin) {
        int colon = userColonPassword.indexOf(':');
        return new Credentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1), origin);
    }

    /** The value of a Basic {@code Authorization} header. */
    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "credentials of '" + username + "' from " + origin;
    }
}
