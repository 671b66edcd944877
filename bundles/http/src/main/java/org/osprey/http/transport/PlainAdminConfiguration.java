package org.osprey.http.transport;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey admin over plain HTTP", description = "The web console and the admin routes under /api take the admin "
        + "password, so on the plain HTTP port they answer only clients on this machine (loopback); others are sent to the HTTPS port.")
public @interface PlainAdminConfiguration {

    @AttributeDefinition(name = "Allow admin over plain HTTP from the network", description = "UNSAFE: anyone who sees one request on the "
            + "network has the admin password, and the admin can install code. Only for a network you trust, or behind a TLS proxy.")
    boolean allowPlainAdmin() default false;
}
