<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>OpsDeck::App</name>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="34"/>
        <source>OpsDeck: operations console for AI-agent platforms (simulated cluster).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="37"/>
        <source>Simulation seed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="40"/>
        <source>Cluster size: default or large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="43"/>
        <source>Simulation speed: 1, 10, 60, 600 or max.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="45"/>
        <source>Start with the clock paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="47"/>
        <source>Schedule a fault, e.g. traffic-surge@30m (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="50"/>
        <source>Schedule an action, e.g. scale:virtual-computer=100@3h (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="54"/>
        <source>Render the main window to a PNG file and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="57"/>
        <source>Advance simulated time by SECONDS (or a duration like 1h) before showing or taking the screenshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="61"/>
        <source>View to open: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/gui_options.cpp" line="64"/>
        <source>Colour theme: dark (default), light or system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="46"/>
        <source>cannot write screenshot %1: directory %2 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="49"/>
        <source>cannot write screenshot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="50"/>
        <source>screenshot: %1 (%2x%3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpsDeck::Models</name>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="48"/>
        <source>resolved</source>
        <translation>behoben</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="50"/>
        <source>silenced</source>
        <translation>stummgeschaltet</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="52"/>
        <source>inhibited</source>
        <translation>unterdrückt</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="53"/>
        <source>firing</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="82"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="83"/>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="84"/>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="85"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="86"/>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="87"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="88"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="90"/>
        <source>Deadline</source>
        <extracomment>Time left to respond, from the runbook&apos;s response time for the severity</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="91"/>
        <source>Acknowledged by</source>
        <translation>Bestätigt von</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="177"/>
        <source>Silenced by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="179"/>
        <source>Inhibited by alert %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="181"/>
        <source>Acknowledged by %1 at %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="192"/>
        <source>%1d %2h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="194"/>
        <source>%1h %2m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="196"/>
        <source>%1m %2s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="197"/>
        <source>%1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="209"/>
        <source>OVERDUE %1</source>
        <extracomment>The response deadline has passed; %1 is how long ago, e.g. &quot;2m 10s&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="211"/>
        <source>met</source>
        <translation>eingehalten</translation>
    </message>
    <message>
        <location filename="../models/alert_queue_model.cpp" line="213"/>
        <source>breached by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="62"/>
        <source>T+%1d %2</source>
        <extracomment>Simulated time elapsed since the start of the scenario, &quot;T+&quot; as in a countdown</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="62"/>
        <source>T+%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="74"/>
        <source>max</source>
        <extracomment>Simulation speed: as fast as the machine allows</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="86"/>
        <source>NO BACKEND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="88"/>
        <source>SIMULATION</source>
        <translation>SIMULATION</translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="89"/>
        <source>CONNECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="90"/>
        <source>CONNECTING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="91"/>
        <source>DISCONNECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/cluster_status.cpp" line="92"/>
        <source>CONNECTION FAILED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_history_model.cpp" line="74"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="16"/>
        <source>Agent request rate</source>
        <extracomment>Units and titles of the runbook&apos;s system-health metrics, shown on dashboard tiles.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="17"/>
        <source>/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="18"/>
        <source>Agent success rate</source>
        <translation>Agent-Erfolgsquote</translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="19"/>
        <location filename="../models/health_metric.cpp" line="23"/>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="20"/>
        <source>Average task latency</source>
        <translation>Durchschnittliche Aufgabenlatenz</translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="21"/>
        <location filename="../models/health_metric.cpp" line="25"/>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="23"/>
        <source>Virtual computer utilization</source>
        <translation>Auslastung virtueller Computer</translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="25"/>
        <source>Model inference latency p99</source>
        <translation>Modell-Inferenzlatenz p99</translation>
    </message>
    <message>
        <location filename="../models/health_metric.cpp" line="87"/>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
</context>
<context>
    <name>OpsDeck::Widgets</name>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="20"/>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="30"/>
        <source>Active region</source>
        <extracomment>Rows of the cluster summary panel on the dashboard</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="31"/>
        <source>Active sessions</source>
        <translation>Aktive Sitzungen</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="32"/>
        <source>Error ratio</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="33"/>
        <source>Max memory / limit</source>
        <translation>Max. Speicher / Limit</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="34"/>
        <source>Safety violations</source>
        <translation>Sicherheitsverstöße</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="35"/>
        <source>Deployments ready</source>
        <translation>Deployments bereit</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="36"/>
        <source>Pods running</source>
        <translation>Laufende Pods</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="37"/>
        <source>Nodes ready</source>
        <translation>Nodes bereit</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="39"/>
        <source>Recent events</source>
        <translation>Letzte Ereignisse</translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="46"/>
        <location filename="../widgets/cluster_summary_panel.cpp" line="90"/>
        <source>No events yet</source>
        <extracomment>Shown in the recent events list before anything happened</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/cluster_summary_panel.cpp" line="112"/>
        <source>%1 /s</source>
        <extracomment>Safety violations per second</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="49"/>
        <source>OpsDeck — %1</source>
        <extracomment>Main window title; %1 is the cluster (&quot;Simulation (seed 1, default)&quot;)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="95"/>
        <source>Simulation clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="118"/>
        <source>Run the simulation as fast as possible</source>
        <extracomment>Tooltip of a simulation speed button</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="119"/>
        <source>Simulated time runs %1 times faster than real time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="139"/>
        <source>Simulated wall-clock time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="146"/>
        <source>Simulated time since the scenario started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="152"/>
        <source>Window </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="155"/>
        <source>Last 15 min</source>
        <extracomment>Chart time window choices</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="156"/>
        <source>Last 1 h</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="169"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="170"/>
        <source>Save &amp;screenshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="172"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="175"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="176"/>
        <source>&amp;Dashboards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="180"/>
        <source>&amp;Simulation</source>
        <translation>&amp;Simulation</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="182"/>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="187"/>
        <source>&amp;Instructor</source>
        <translation>&amp;Ausbilder</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="188"/>
        <source>Inject &amp;fault</source>
        <translation>&amp;Fehler einspeisen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="190"/>
        <source>&amp;Clear fault</source>
        <translation>Fehler &amp;beheben</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="195"/>
        <source>Injected fault: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="203"/>
        <source>Cleared fault: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="212"/>
        <source>&amp;Actions</source>
        <translation>A&amp;ktionen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="223"/>
        <source>Roll back agent-orchestrator</source>
        <extracomment>Actions menu entries; they act on the cluster immediately</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="224"/>
        <source>Scale deployment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="225"/>
        <source>Delete failed pods</source>
        <translation>Fehlgeschlagene Pods löschen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="226"/>
        <source>Restart model-server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="228"/>
        <source>Fail over to the secondary region</source>
        <translation>Auf die Sekundärregion umschalten</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="229"/>
        <source>Enable safety mode</source>
        <translation>Sicherheitsmodus aktivieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="230"/>
        <source>Increase DB connection pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="232"/>
        <source>Back up state database</source>
        <translation>Zustandsdatenbank sichern</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="233"/>
        <source>Restore state database</source>
        <translation>Zustandsdatenbank wiederherstellen</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="234"/>
        <source>Rotate credentials</source>
        <translation>Zugangsdaten rotieren</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="287"/>
        <source>Play</source>
        <extracomment>Toolbar button: shows what pressing it does</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="287"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="290"/>
        <source>Resume simulated time (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="291"/>
        <source>Pause simulated time (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="297"/>
        <source>speed %1 (paused)</source>
        <extracomment>Status bar: simulation speed, &quot;speed 60×&quot; or &quot;speed 60× (paused)&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="298"/>
        <source>speed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="312"/>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="316"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="317"/>
        <source>%1 refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="331"/>
        <source>No deployments to scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="335"/>
        <location filename="../widgets/main_window.cpp" line="339"/>
        <source>Scale deployment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="336"/>
        <source>Deployment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="340"/>
        <source>Replicas for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="353"/>
        <source>Save screenshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="355"/>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="359"/>
        <source>Could not write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/main_window.cpp" line="384"/>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="45"/>
        <source>Breach raises a P1 alert: immediate response</source>
        <extracomment>Tooltip of the P1/P2 badge on a dashboard tile</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="46"/>
        <source>Breach raises a P2 alert: response within 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="64"/>
        <source>threshold %1</source>
        <extracomment>Threshold of a health metric, e.g. &quot;threshold &gt; 10,000 /min&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="147"/>
        <source>NO DATA</source>
        <extracomment>State of a health metric on its tile</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="147"/>
        <source>BREACH</source>
        <translation>VERLETZT</translation>
    </message>
    <message>
        <location filename="../widgets/metric_tile.cpp" line="147"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="11"/>
        <source>Bad deploy (new revision fails requests)</source>
        <extracomment>Instructor menu: faults that can be injected into the simulated cluster</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="12"/>
        <source>Model server crash</source>
        <translation>Absturz des Modellservers</translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="13"/>
        <source>Virtual computer pool exhaustion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="14"/>
        <source>State DB connection pool exhaustion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="15"/>
        <source>Memory leak (OOM kills)</source>
        <translation>Speicherleck (OOM-Kills)</translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="16"/>
        <source>GPU failure (XID errors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="17"/>
        <source>Region failure</source>
        <translation>Regionsausfall</translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="18"/>
        <source>Prompt injection wave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="19"/>
        <source>State DB data corruption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/sim_labels.cpp" line="20"/>
        <source>Traffic surge (demand multiplies)</source>
        <translation>Lastspitze (Nachfrage vervielfacht)</translation>
    </message>
    <message>
        <location filename="../widgets/simulation_banner.cpp" line="13"/>
        <source>SIMULATION — training cluster, not production</source>
        <extracomment>Banner across the top of the window whenever the console runs a simulated cluster</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::models::IncidentListModel</name>
    <message>
        <location filename="../models/incident_list_model.cpp" line="55"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/incident_list_model.cpp" line="56"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location filename="../models/incident_list_model.cpp" line="57"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/incident_list_model.cpp" line="58"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../models/incident_list_model.cpp" line="59"/>
        <source>Commander</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../models/incident_list_model.cpp" line="60"/>
        <source>Declared</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
