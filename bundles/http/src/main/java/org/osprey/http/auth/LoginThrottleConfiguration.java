package org.osprey.http.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey admin login throttle",
        description = "Wrong admin passwords (the web console and /api) lock the client's address out for a while, so the password cannot be guessed at speed.")
public @interface LoginThrottleConfiguration {

    @AttributeDefinition(name = "Free attempts", min = "1", description = "wrong passwords from one address before it is locked out")
    int freeAttempts() default 5;

    @AttributeDefinition(name = "Longest lock-out (seconds)", min = "1", description = "each further wrong password doubles the lock-out, from 1 s up to this")
    int maxLockSeconds() default 300;
}
