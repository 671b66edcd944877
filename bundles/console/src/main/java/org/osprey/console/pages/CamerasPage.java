package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "Cameras" (`/system/console/osprey-cameras`); its script is `res/cameras.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-cameras", "felix.webconsole.title=Cameras", OspreyPage.CATEGORY, OspreyPage.CSS})
public class CamerasPage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public CamerasPage() {
        super("cameras");
    }
}
