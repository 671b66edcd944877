package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "Live view" (`/system/console/osprey-live`); its script is `res/live.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-live", "felix.webconsole.title=Live view", OspreyPage.CATEGORY, OspreyPage.CSS})
public class LivePage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public LivePage() {
        super("live");
    }
}
