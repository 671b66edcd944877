package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "API tokens" (`/system/console/osprey-tokens`); its script is `res/tokens.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-tokens", "felix.webconsole.title=API tokens", OspreyPage.CATEGORY, OspreyPage.CSS})
public class TokensPage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public TokensPage() {
        super("tokens");
    }
}
