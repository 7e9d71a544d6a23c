<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>Algorithm</name>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="56"/>
        <source>Add the result map service layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="59"/>
        <source>Adds the job's result map service (…/MapServer/jobs/&lt;jobId&gt;) to the project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="61"/>
        <source>Run in background (results load when the job ends)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="66"/>
        <source>Submits the job and returns its id at once, leaving QGIS free. The job is listed in the GP Jobs panel, watched even after QGIS restarts, and its outputs are fetched and loaded when it succeeds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="69"/>
        <source>Fetch the results of job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="72"/>
        <source>Instead of submitting, wait for this existing job and fetch its outputs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="83"/>
        <source>Outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="93"/>
        <source>output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="95"/>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="97"/>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="159"/>
        <source>Runs on &lt;i&gt;{url}&lt;/i&gt; as an asynchronous job.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="161"/>
        <source>Runs on &lt;i&gt;{url}&lt;/i&gt; as a synchronous request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="203"/>
        <source>Job id on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="210"/>
        <source>Result map service layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="238"/>
        <source>Incorrect parameter value for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/algorithm.py" line="164"/>
        <source>Each run consumes ArcGIS Online credits of the signed-in user&apos;s organisation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Browser</name>
    <message>
        <location filename="../plugin/gui/browser.py" line="99"/>
        <source>Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="104"/>
        <source>Open Task Page in Web Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="142"/>
        <source>Open Service Page in Web Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="203"/>
        <source>Not fetched yet: use Refresh (right-click the connection)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="279"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="225"/>
        <source>Open Services Page in Web Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="230"/>
        <source>Edit Connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="260"/>
        <source>ArcGIS GP Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/browser.py" line="276"/>
        <source>Manage Connections…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Collections</name>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="126"/>
        <source>A list of {item}: a JSON array, or items separated by &apos;;&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="142"/>
        <source>lists of rasters cannot be sent yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="147"/>
        <source>not a list of {item}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="188"/>
        <source>{column}: from {low} to {high}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="191"/>
        <source>{column}: one of {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="196"/>
        <source>Columns: {rules}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="245"/>
        <source>{values} values do not fill rows of {columns} columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/collections.py" line="264"/>
        <source>row {row}, {name}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="41"/>
        <source>Testing {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="70"/>
        <source>OK: {services} GP services, {tasks} tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="73"/>
        <source>({count} services could not be read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="91"/>
        <source>Edit GP Server Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="91"/>
        <source>New GP Server Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="101"/>
        <source>e.g. County GIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="104"/>
        <source>A services directory, a folder, a GPServer or a task URL; it may be pasted straight from a browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="108"/>
        <source>optional, for tokens bound to a referer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="114"/>
        <source>Allow passwords over plain http (trusted networks only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="117"/>
        <source>Test Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="124"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="125"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="126"/>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="127"/>
        <source>Referer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="128"/>
        <source>Timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="181"/>
        <source>A connection named &apos;{name}&apos; exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="199"/>
        <source>Testing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_dialog.py" line="210"/>
        <source>The test was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionManager</name>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="92"/>
        <source>ArcGIS GP Server Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="97"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="97"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="97"/>
        <source>Stored in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="108"/>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="109"/>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="110"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="111"/>
        <source>Import YAML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="112"/>
        <source>Export YAML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="113"/>
        <source>Import from QGIS…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="114"/>
        <source>Copy QGIS&apos;s &apos;ArcGIS REST Server&apos; connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="151"/>
        <source>QGIS settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="151"/>
        <source>connections file (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="225"/>
        <source>Remove the connection &apos;{name}&apos;? Its algorithms disappear from the Processing toolbox; the authentication configuration stays in QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="228"/>
        <source>Remove Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="251"/>
        <source>Import Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="263"/>
        <source>Export Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="292"/>
        <source>Import from QGIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="280"/>
        <source>QGIS has no ArcGIS REST Server connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connection_manager.py" line="290"/>
        <source>GP services are looked for on these ArcGIS REST Server connections:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionsUi</name>
    <message>
        <location filename="../plugin/gui/connections_ui.py" line="54"/>
        <source>&amp;ArcGIS GP Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connections_ui.py" line="104"/>
        <source>Manage Connections…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connections_ui.py" line="107"/>
        <source>Refresh GP Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connections_ui.py" line="153"/>
        <source>ArcGIS GP Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/connections_ui.py" line="153"/>
        <source>{algorithm} is not loaded yet; refresh the GP services.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Features</name>
    <message>
        <location filename="../plugin/gptypes/features.py" line="96"/>
        <source>the features are {geometry} ({sent_as}); the task takes {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="116"/>
        <source>{name}: the layer has no valid CRS, so its features are sent without a spatial reference and the server assumes its own default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="122"/>
        <source>{name}: sending {feature_count} feature(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="261"/>
        <source>cannot read features from {value!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="301"/>
        <source>{name}: {count} feature(s) received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="307"/>
        <source>{name}: the GP result stopped at the service&apos;s transfer limit, so all {count} feature(s) were fetched page by page from the job&apos;s result map service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="312"/>
        <source>{name}: the server returned only {count} feature(s); the full result exceeds its transfer limit (maximumRecords) and the service has no result map service to fetch the rest from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="347"/>
        <source>{name}: cancelled while receiving.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="363"/>
        <source>{name}: the server wrote this output to the feature service {url}, which cannot be read from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="374"/>
        <source>{name}: {count} feature(s) copied from the feature service {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="171"/>
        <source> (with your login)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="223"/>
        <source>{name}: QGIS could not open the hosted layer {url} with this connection&apos;s login; its features are copied into the output instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/features.py" line="228"/>
        <source>{name}: the hosted layer {url} ({count} feature(s))</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeaturesetWriter</name>
    <message>
        <location filename="../plugin/gptypes/featureset_writer.py" line="202"/>
        <source>{count} feature(s) written without geometry (first: {problem})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <location filename="../plugin/gptypes/files.py" line="50"/>
        <source>file not found: {location}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="54"/>
        <source>this service does not accept uploads (it lacks the &apos;Uploads&apos; capability), so a local file cannot be sent; give a URL the server can reach instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="58"/>
        <source>{name}: uploading {file}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="127"/>
        <source>cannot open raster {raw!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="130"/>
        <source>only local raster files can be sent, not {location!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="144"/>
        <source>{name}: the server returned no raster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="167"/>
        <source>{name}: the image service {url} could not be opened: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="167"/>
        <source>the layer is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="176"/>
        <source>{name}: added the image service {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/files.py" line="210"/>
        <source>{name}: the server returned no file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message>
        <location filename="../plugin/gptypes/filters.py" line="178"/>
        <source>Codes: {codes}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hosted</name>
    <message>
        <location filename="../plugin/provider/hosted.py" line="115"/>
        <source>Optional: create a hosted layer in your content with this name. The service writes its result there (it must not exist yet), and the layer is loaded from its URL after the run. Empty: the result comes back as data.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobManager</name>
    <message>
        <location filename="../plugin/jobs/manager.py" line="50"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="51"/>
        <source>was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="52"/>
        <source>timed out on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="53"/>
        <source>is no longer known to the server (expired)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="178"/>
        <source>the algorithm {algorithm} is not available (is the connection &apos;{connection}&apos; still configured?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="221"/>
        <source>GP job {job_id} ({task}) finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="224"/>
        <source>: loaded {layers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="227"/>
        <source>; {outputs} exceeds the transfer limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="234"/>
        <source>could not be fetched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="253"/>
        <source>has expired on the server: its results are gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="270"/>
        <source>has no result map service layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="278"/>
        <source>Added {layer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="295"/>
        <source>could not be re-run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="297"/>
        <source>GP job {job_id} re-run as job {new_job_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/manager.py" line="334"/>
        <source>GP job {job_id} ({task}) {what}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <location filename="../plugin/jobs/model.py" line="53"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="54"/>
        <source>on server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="55"/>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="56"/>
        <source>exceeds transfer limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="57"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="58"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="59"/>
        <source>timed out on server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/model.py" line="60"/>
        <source>expired on server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>Elapsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="39"/>
        <source>Job id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="87"/>
        <source>running ({status})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="88"/>
        <source>running ({status}, not watched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="158"/>
        <source>Job {job_id} — {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="162"/>
        <source>State: {state} ({status}); elapsed {elapsed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="162"/>
        <source>no status yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="167"/>
        <source>; run in background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="171"/>
        <source>Re-run of job {job_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="175"/>
        <source>Problem: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="177"/>
        <source>Exceeds the transfer limit: {outputs}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="180"/>
        <source>Outputs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="183"/>
        <source>Destinations:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="186"/>
        <source>Inputs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="189"/>
        <source>&lt;{count} characters of JSON&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="193"/>
        <source>&lt;secret, not kept&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="198"/>
        <source>Messages:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="209"/>
        <source>GP Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="229"/>
        <source>Select a job to see its messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Cancel the job on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Get Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Fetch the results again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Add Server Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Add the job&apos;s result map service layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Re-run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Submit the same inputs again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Copy Job ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Copy the job id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="233"/>
        <source>Forget this job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/jobs_panel.py" line="362"/>
        <source>ArcGIS GP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Provider</name>
    <message>
        <location filename="../plugin/provider/provider.py" line="101"/>
        <source>ArcGIS Server geoprocessing services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/provider.py" line="173"/>
        <source>{connection} was unreachable: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/provider.py" line="213"/>
        <source>{connection} was unreachable at the last refresh; these are the cached task descriptions. ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/provider.py" line="246"/>
        <source>Refreshing ArcGIS GP services</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProviderOptions</name>
    <message>
        <location filename="../plugin/provider/options.py" line="20"/>
        <source>Job timeout, seconds (0: none), unless a connection sets one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/options.py" line="23"/>
        <source>Connections per server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/options.py" line="24"/>
        <source>Longest pause between job polls, seconds</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <location filename="../plugin/jobs/recorder.py" line="113"/>
        <source>Not watched any more: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/recorder.py" line="146"/>
        <source>Fetching the results failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunParameters</name>
    <message>
        <location filename="../plugin/provider/environment.py" line="89"/>
        <source>Return Z and M values of feature outputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="95"/>
        <source>Asks the server for the z and m values of feature outputs (returnZ/returnM). ArcGIS leaves them out unless asked; turn this off for 2D outputs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="98"/>
        <source>Output spatial reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="101"/>
        <source>The CRS the server writes feature outputs in (outSR). Unset: the server&apos;s own choice, usually the CRS of the inputs or of the processing spatial reference.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="104"/>
        <source>Processing spatial reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="107"/>
        <source>The CRS the server performs geometry operations in (processSR). Unset: the server&apos;s own; outputs come in it when no output spatial reference is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="158"/>
        <source>{name}: not a valid CRS: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="168"/>
        <source>{name}: {crs} has neither an EPSG/ESRI code nor a WKT that ArcGIS can read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="110"/>
        <source>Processing extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="113"/>
        <source>Limits the work to this extent (the context&apos;s extent): the server analyses only the input features within it. It goes with its own CRS, never reprojected here. Unset: the inputs&apos; extent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="188"/>
        <source>{name}: not a valid extent: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="191"/>
        <source>{name}: the extent has no CRS; give one (e.g. &quot;xmin,xmax,ymin,ymax [EPSG:4326]&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/environment.py" line="195"/>
        <source>{name}: this service (ArcGIS Server {version}) does not read a processing extent; it came with 10.6.1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Runner</name>
    <message>
        <location filename="../plugin/provider/runner.py" line="171"/>
        <source>Job {job_id} runs in the background; its results load when it ends (see the GP Jobs panel).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="131"/>
        <source>Stopped watching the job; it goes on on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="137"/>
        <source>Cancelled: job {job_id} was cancelled on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="266"/>
        <source>Executing {task} on {service}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="284"/>
        <source>Job {job_id} submitted to {task}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/run_outputs.py" line="73"/>
        <source>Cancelled before every output was received.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/run_outputs.py" line="81"/>
        <source>The server returned no value for {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/run_outputs.py" line="88"/>
        <source>{name}: the server&apos;s answer for this output is not a valid Esri JSON value (invalid or truncated): {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/run_outputs.py" line="104"/>
        <source>{task}: the server reported success but returned no value for the required output {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/result_map_service.py" line="145"/>
        <source>The result map service could not be added: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/result_map_service.py" line="149"/>
        <source>The result map service {url} could not be added: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/result_map_service.py" line="151"/>
        <source>the layer is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/result_map_service.py" line="155"/>
        <source>Result map service: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="253"/>
        <source>{name}: not a JSON object: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/provider/runner.py" line="75"/>
        <source>connection &apos;{name}&apos;: the signed-in user may not run this task; an administrator of the portal can grant the privilege or the credits it needs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Scalars</name>
    <message>
        <location filename="../plugin/gptypes/credentials.py" line="33"/>
        <source>Choose (or add) an authentication configuration holding the secret: its password (Basic) or token (EsriToken) is sent. Only the configuration id appears in the log and the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/dates.py" line="46"/>
        <source>not a valid date and time: {value!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/measures.py" line="91"/>
        <source>{name}: units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/measures.py" line="102"/>
        <source>Unit of &apos;{name}&apos; (Esri unit name); a run that gives none sends {unit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/measures.py" line="116"/>
        <source>unit {raw!r} is not one of this task&apos;s units: {items}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/layer_fields.py" line="55"/>
        <source>Field types: {types}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/layer_fields.py" line="64"/>
        <source>the layer given for {dependency} has no field {name!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/layer_fields.py" line="85"/>
        <source>field {name!r} is {esri_type}; the task takes {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gptypes/spatial_values.py" line="36"/>
        <source>not a valid CRS: {value!r}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerTasks</name>
    <message>
        <location filename="../plugin/jobs/server_tasks.py" line="40"/>
        <source>Result map service of GP job {job_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/server_tasks.py" line="86"/>
        <source>Re-running GP job {job_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/jobs/server_tasks.py" line="151"/>
        <source>Checking GP jobs on their servers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
