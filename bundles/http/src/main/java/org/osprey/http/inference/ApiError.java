package org.osprey.http.inference;

/** A request that ends with an HTTP error and a JSON body saying why. */
final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
