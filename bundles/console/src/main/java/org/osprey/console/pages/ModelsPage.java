package org.osprey.console.pages;

import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** The web console's Osprey page "Models" (`/system/console/osprey-models`); its script is `res/models.js`. */
@Component(service = Servlet.class, property = {"felix.webconsole.label=osprey-models", "felix.webconsole.title=Models", OspreyPage.CATEGORY, OspreyPage.CSS})
public class ModelsPage extends OspreyPage {

    private static final long serialVersionUID = 1L;

    public ModelsPage() {
        super("models");
    }
}
