package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "Events" (`/system/console/osprey-events`); its script is `res/events.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-events", "felix.webconsole.title=Events", OspreyPage.CATEGORY, OspreyPage.CSS})
public class EventsPage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public EventsPage() {
        super("events");
    }
}
