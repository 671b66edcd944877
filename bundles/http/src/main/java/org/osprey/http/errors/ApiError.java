package org.osprey.http.errors;

/** A request that ends with an HTTP error and a JSON body saying why ({@link JsonErrorPages#send(jakarta.servlet.http.HttpServletResponse, ApiError)}). */
public final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    public final int status;
    public final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
