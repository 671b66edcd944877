package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "Log" (`/system/console/osprey-log`): recent warnings and errors; its script is `res/log.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-log", "felix.webconsole.title=Log", OspreyPage.CATEGORY, OspreyPage.CSS})
public class LogPage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public LogPage() {
        super("log");
    }
}
