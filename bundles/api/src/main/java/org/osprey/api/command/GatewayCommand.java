package org.osprey.api.command;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One command the gateway answers, such as {@code getStatus} or {@code selectModel}. Registered as a
 * service with the property {@link #NAME}. Called on the uplink's thread: answer within seconds.
 */
@ConsumerType
public interface GatewayCommand {

    /** Service property: the command's name, as callers spell it (String). */
    String NAME = "osprey.command";

    /**
     * @param arguments the request's JSON object, as maps, lists, strings, numbers (doubles) and booleans;
     *                  empty when the request had no body
     * @return the answer, something JSON can express (maps, lists, strings, numbers, booleans, null)
     * @throws CommandException with a status for the caller when the request cannot be carried out
     */
    Object execute(Map<String, Object> arguments) throws CommandException;
}
