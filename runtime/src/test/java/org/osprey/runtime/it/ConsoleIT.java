package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.google.gson.JsonObject;

/**
 * Osprey's console pages in a real browser (Debian's headless Chromium, driven by Selenium through
 * chromedriver) over a running {@code osprey.jar}: the live view updates, a zone drawn by clicking on the
 * picture makes {@code zone_occupied} events whose pictures show on the events page, a model uploaded by
 * the page's file input serves, the console's own configuration forms saved with one field changed leave
 * the pipeline and the announcer working, a warning shows on the log page, and the browser's console shows no error. Screenshots are kept
 * in {@code target/console-screenshots}.
 */
public class ConsoleIT {

    private static final String CHROMIUM = System.getProperty("osprey.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("osprey.chromedriver", "/usr/bin/chromedriver");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;
    private ChromeDriver browser;
    private String base;
    private final Path screenshots = Path.of("target", "console-screenshots");

    @Before
    public void start() throws Exception {
        assertTrue("headless Chromium and chromedriver are needed (Debian: apt-get install chromium chromium-driver; .ci/run installs them)",
                Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)));
        gateway = new GatewayProcess(tmp.newFolder("gateway").toPath());
        gateway.start(Map.of());
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && gateway.get("/api/v1/cameras").map(c -> c.toString().contains("\"running\"")).orElse(false) == false) {
            Thread.sleep(200);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1100");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        base = "http://localhost:" + gateway.port();
        // the console's login: HTTP Basic, which the browser then also gives the /api calls of the same realm
        browser.get(withCredentials("/system/console/osprey-live"));
    }

    /** The page's address with the user and password in it, as a bookmark may have it (fetch refuses relative URLs on such a page). */
    private String withCredentials(String path) {
        return "http://admin:" + GatewayProcess.PASSWORD + "@localhost:" + gateway.port() + path;
    }

    @After
    public void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (gateway != null) {
                gateway.keepLog("ConsoleIT");
                gateway.close();
            }
        }
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(screenshots);
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    /** Whether the admin API's answer at the path, as text, passes the check (false while it does not answer). */
    private boolean answers(String path, java.util.function.Predicate<String> check) {
        try {
            return gateway.get(path).map(JsonObject::toString).filter(check).isPresent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** No error in the browser's console, but for the test of a camera that cannot work, whose 400 the test asked for. */
    private void assertNoBrowserErrors(String page) {
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("/api/v1/cameras/test - Failed to load resource: the server responded with a status of 400"))
                .toList();
        assertEquals("errors in the browser's console on " + page, List.of(), severe.stream().map(LogEntry::getMessage).toList());
    }

    @Test
    public void theLiveViewUpdatesAndAZoneDrawnOnItMakesEventsWithPictures() throws Exception {
        // a camera fast enough to show the live view's rate, added with the cameras page's form: the bundled photos at 10 frames a second
        browser.get(withCredentials("/system/console/osprey-cameras"));
        waiting(30).until(d -> d.findElement(By.cssSelector("tr[data-camera='sample']")));
        browser.findElement(By.id("osprey-camera-id")).sendKeys("fast");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("osprey-camera-kind"))).selectByValue("org.osprey.camera.files");
        // the test button says why a camera does not work, and shows the first frame of one that does
        browser.findElement(By.id("osprey-camera-source")).sendKeys("/no/such/folder");
        browser.findElement(By.id("osprey-test-camera")).click();
        waiting(30).until(d -> d.findElement(By.id("osprey-status")).getText().startsWith("the camera does not work: "));
        screenshot("camera-test-failed");
        browser.findElement(By.id("osprey-camera-source")).clear();
        browser.findElement(By.id("osprey-camera-source")).sendKeys("samples");
        for (String field : new String[] {"osprey-camera-fps", "osprey-pipeline-fps"}) {
            browser.findElement(By.id(field)).clear();
            browser.findElement(By.id(field)).sendKeys("10");
        }
        browser.findElement(By.id("osprey-test-camera")).click();
        waiting(30).until(d -> (Boolean) js("const i = document.getElementById('osprey-test-frame'); return !i.hidden && i.complete && i.naturalWidth > 0"));
        browser.findElement(By.cssSelector("#osprey-add-camera button[type='submit']")).click();
        waiting(30).until(d -> d.findElement(By.cssSelector("tr[data-camera='fast'][data-state='streaming']")));
        screenshot("cameras");

        browser.get(withCredentials("/system/console/osprey-live"));
        WebElement card = waiting(30).until(d -> d.findElement(By.cssSelector(".card[data-camera='fast']")));
        waiting(30).until(d -> Integer.parseInt(card.getAttribute("data-updates")) >= 3);
        int before = Integer.parseInt(card.getAttribute("data-updates"));
        long start = System.nanoTime();
        Thread.sleep(4000); // the subject here is the rate: four seconds of updates are counted
        double perSecond = (Integer.parseInt(card.getAttribute("data-updates")) - before) / ((System.nanoTime() - start) / 1e9);
        assertTrue("the live view updates at least 5 times a second, did " + perSecond, perSecond >= 5);
        screenshot("live-view");

        // draw a zone over most of the picture: click four corners, name it, save
        // the button is enabled once the camera list says the pipeline is editable; a click while the figures
        // above it reflow can miss it, as a user's can: clicked again until the editor opens
        WebElement edit = card.findElement(By.cssSelector(".edit-zones"));
        WebElement zoneName = card.findElement(By.cssSelector(".zone-name"));
        waiting(20).until(d -> {
            if (!zoneName.isDisplayed() && edit.isDisplayed() && edit.isEnabled()) edit.click();
            return zoneName.isDisplayed();
        });
        zoneName.sendKeys("hall");
        // the picture holds still while editing: measured once it has finished loading
        WebElement img = card.findElement(By.cssSelector("img.live"));
        waiting(5).until(d -> (Boolean) js("return arguments[0].complete", img));
        int w = img.getSize().getWidth(), h = img.getSize().getHeight();
        for (int[] corner : new int[][] {{-45, -45}, {45, -45}, {45, 45}, {-45, 45}}) {
            new Actions(browser).moveToElement(img, corner[0] * w / 100, corner[1] * h / 100).click().perform();
        }
        screenshot("zone-drawn");
        card.findElement(By.cssSelector(".save-zone")).click();
        waiting(20).until(d -> answers("/api/v1/cameras", c -> c.contains("hall: 0.05")));

        browser.get(base + "/system/console/osprey-events");
        // a zone_occupied row whose picture has loaded (the table is redrawn as events arrive: looked up each time)
        waiting(60).until(d -> (Boolean) js("return [...document.querySelectorAll(\"tr[data-type='zone_occupied'] img.thumb\")]"
                + ".some(i => i.complete && i.naturalWidth > 0)"));
        screenshot("events");
        // a new event adds its row at the top; the rows shown (and their pictures) stay the same elements, not redrawn
        String marked = (String) js("const r = document.querySelector('#osprey-event-list tbody tr'); r.classList.add('osprey-it-mark'); return r.dataset.event");
        waiting(60).until(d -> !marked.equals(js("return document.querySelector('#osprey-event-list tbody tr').dataset.event")));
        assertEquals("the row shown before a new event is still the same element", Boolean.TRUE,
                js("return document.querySelector('#osprey-event-list tr.osprey-it-mark') !== null"));
        // filtered by type: only that type's rows, and all of them again without the filter
        String rowTypes = "return [...document.querySelectorAll('#osprey-event-list tbody tr')].map(r => r.dataset.type)";
        org.openqa.selenium.support.ui.Select type = new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("osprey-filter-type")));
        type.selectByValue("zone_occupied");
        List<?> filtered = (List<?>) js(rowTypes);
        assertTrue("only zone_occupied rows: " + filtered, !filtered.isEmpty() && filtered.stream().allMatch("zone_occupied"::equals));
        type.selectByIndex(0);
        assertTrue("every type again", ((List<?>) js(rowTypes)).stream().anyMatch(t -> !"zone_occupied".equals(t)));
        assertNoBrowserErrors("the live view and the events page");
    }

    @Test
    public void aModelUploadedByTheModelsPageServes() throws Exception {
        Path jar = TestModels.write(tmp.newFolder("models").toPath()).resolve("blazeface-3.0.0.jar");
        browser.get(base + "/system/console/osprey-models");
        waiting(30).until(d -> d.findElement(By.cssSelector("tr[data-model='blazeface'][data-version='1.2.0']")));
        browser.findElement(By.id("osprey-model-file")).sendKeys(jar.toAbsolutePath().toString());
        waiting(60).until(d -> d.findElement(By.cssSelector("tr[data-model='blazeface'][data-version='3.0.0'][data-state='active']")));
        screenshot("models");
        JsonObject answer = gateway.postImage("/image", Files.readAllBytes(Path.of(System.getProperty("osprey.samples"), "astronaut.png")));
        assertEquals("3.0.0", answer.get("iteration").getAsString());
        assertNoBrowserErrors("the models page");
    }

    @Test
    public void theConsolesOwnFormsSavedWithOneFieldChangedBreakNothing() throws Exception {
        // the sample pipeline: only its fps changed
        browser.get(base + "/system/console/configMgr");
        // the console lists the sample pipeline by its camera, not by its generated PID
        String samplePid = waiting(30).until(d -> (String) js("const p = configData.pids.find(p => p.nameHint === 'Pipeline for sample'); return p ? p.id : null;"));
        editAndSave(samplePid, "fps", "3.0");
        waiting(30).until(d -> answers("/api/v1/cameras", c -> c.contains("\"targetFps\":3.0") && c.contains("\"running\"")));

        // a warning (a /url fetch refused: the gateway's own address) shows on the log page with its reason
        assertEquals(400, gateway.post("/url", "application/json", "{\"url\":\"http://127.0.0.1:9/x.jpg\"}".getBytes()).statusCode());
        browser.get(base + "/system/console/osprey-log");
        waiting(30).until(d -> d.findElements(By.cssSelector("tr[data-level='WARN']")).stream().anyMatch(r -> r.getText().contains("127.0.0.1")));
        screenshot("log");

        // the announcer: only its language changed
        editAndSave("org.osprey.speech.announcer", "language", "fr");
        screenshot("configuration");
        // the shipped model's French label: the README's promise
        waiting(60).until(d -> answers("/api/v1/speech", s -> s.contains("Je vois un visage")));
        assertNoBrowserErrors("the configuration page");
    }

    /**
     * Every Osprey configuration the console lists (speech, inference, HTTP, telemetry, rollout..., and
     * the existing cameras' and pipelines'), its console form opened and saved as it is, as a user who only looks does: no component fails its
     * activation, and the gateway still answers and is ready.
     */
    @Test
    @SuppressWarnings("unchecked")
    public void everyOspreyFormSavedAsItIsBreaksNothing() throws Exception {
        browser.get(base + "/system/console/configMgr");
        List<String> pids = waiting(30).until(d -> (List<String>) js(
                "const p = configData.pids.filter(p => p.id.startsWith('org.osprey.')).map(p => p.id); return p.length ? p : null;"));
        assertTrue(pids.toString(), pids.size() >= 10 && pids.contains("org.osprey.http.connections") && pids.contains("org.osprey.inference.onnx"));
        for (String pid : pids) {
            browser.get(base + "/system/console/configMgr/" + pid);
            WebElement save = waiting(30).until(d -> d.findElements(By.cssSelector(".ui-dialog-buttonpane button")).stream()
                    .filter(b -> b.getText().trim().equals("Save")).findFirst().orElse(null));
            save.click();
            // saved: the dialog closes
            waiting(30).until(d -> d.findElements(By.cssSelector(".ui-dialog-buttonpane button")).stream().noneMatch(WebElement::isDisplayed));
        }
        // every component of Osprey's as the DS console page lists it: none failed
        long deadline = System.currentTimeMillis() + 30_000;
        String failed = "";
        while (System.currentTimeMillis() < deadline) {
            List<JsonObject> osprey = new java.util.ArrayList<>();
            gateway.get("/system/console/components.json").ifPresent(c -> c.getAsJsonArray("data").forEach(d -> osprey.add(d.getAsJsonObject())));
            osprey.removeIf(c -> !c.get("name").getAsString().startsWith("org.osprey."));
            failed = osprey.stream().filter(c -> c.get("state").getAsString().startsWith("failed"))
                    .map(c -> c.get("name").getAsString() + ": " + c.get("state").getAsString()).collect(java.util.stream.Collectors.joining("\n"));
            if (failed.isEmpty() && !osprey.isEmpty() && answers("/api/v1/models", m -> m.contains("\"active\""))) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("components that failed after saving " + pids, "", failed);
        JsonObject answer = gateway.postImage("/image", Files.readAllBytes(Path.of(System.getProperty("osprey.samples"), "astronaut.png")));
        assertEquals("blazeface", answer.get("project").getAsString());
        assertNoBrowserErrors("the configuration forms");
    }

    /** Opens a configuration's form in the console, changes one field and saves, as a user does. */
    private void editAndSave(String pid, String field, String value) throws IOException {
        browser.get(base + "/system/console/configMgr/" + pid);
        WebElement input = waiting(30).until(d -> d.findElement(By.cssSelector("[name='" + field + "']")));
        input.clear();
        input.sendKeys(value);
        screenshot("form-" + pid);
        WebElement save = browser.findElements(By.cssSelector(".ui-dialog-buttonpane button")).stream().filter(b -> b.getText().trim().equals("Save"))
                .findFirst().orElseThrow(() -> new AssertionError("no Save button in the form of " + pid));
        save.click();
    }
}
