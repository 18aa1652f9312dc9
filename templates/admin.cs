<?cs # admin.cs: the panel in real time (Redis), bridges, totals, collector health, links. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.adm.live.title ?></h1>
<?cs include:"_adm-nav.cs" ?>
<p><?cs if:Page.refresh ?><a href="/admin?auto=0"><?cs var:Lang.adm.live.auto_off ?></a> · <?cs var:Lang.adm.live.auto_on_hint ?> <?cs var:Page.refresh ?> s<?cs else ?><a href="/admin?auto=1"><?cs var:Lang.adm.live.auto_on ?></a> · <a href="/admin"><?cs var:Lang.adm.live.reload ?></a><?cs /if ?></p>
<dl class="facts card" id="now">
<dt><?cs var:Lang.adm.live.rooms ?></dt><dd id="rooms"><?cs var:Live.rooms ?></dd>
<dt><?cs var:Lang.adm.live.participants ?></dt><dd id="participants"><?cs var:Live.participants ?></dd>
<dt><?cs var:Lang.adm.live.bridges_up ?></dt><dd id="bridges-up"><?cs var:Live.up ?> / <?cs var:Live.bridges ?></dd>
<dt><?cs var:Lang.adm.live.conferences ?></dt><dd id="conferences"><?cs var:Live.conferences ?></dd>
<dt><?cs var:Lang.adm.live.endpoints ?></dt><dd id="endpoints"><?cs var:Live.endpoints ?></dd>
<dt><?cs var:Lang.adm.live.traffic ?></dt><dd id="traffic"><?cs var:Live.down ?> / <?cs var:Live.upl ?> Mbit/s</dd>
</dl>
<h2><?cs var:Lang.adm.live.bridges ?></h2>
<p class="hint"><?cs var:Lang.adm.live.stress_hint ?></p>
<?cs if:subcount(Bridges) == 0 ?><p><?cs var:Lang.adm.live.no_bridges ?></p><?cs else ?>
<div class="scroll"><table id="bridges">
<thead><tr><th><?cs var:Lang.adm.bridge ?></th><th><?cs var:Lang.adm.live.state ?></th><th><?cs var:Lang.adm.load ?></th><th><?cs var:Lang.adm.in ?></th><th><?cs var:Lang.adm.out ?></th><th><?cs var:Lang.adm.live.conferences_short ?></th><th><?cs var:Lang.adm.live.endpoints_short ?></th></tr></thead>
<tbody><?cs each:b = Bridges ?><tr><td><?cs var:b.name ?><?cs if:b.region ?> <span class="hint"><?cs var:b.region ?></span><?cs /if ?></td>
<td class="st-<?cs var:b.state ?>"><?cs var:Lang.adm.bstate[b.state] ?></td><td><?cs var:b.load ?> %</td><td><?cs var:b.down ?></td><td><?cs var:b.up ?></td><td><?cs var:b.conferences ?></td><td><?cs var:b.endpoints ?></td></tr>
<?cs /each ?></tbody></table></div>
<p class="hint"><?cs var:Lang.adm.live.mbps ?></p>
<?cs /if ?>
<h2><?cs var:Lang.adm.live.collector ?></h2>
<p id="collector" class="st-<?cs var:Collector.state ?>"><?cs var:Lang.adm.cstate[Collector.state] ?><?cs if:Collector.state != "missing" ?>.
<?cs if:Collector.age >= #0 ?><?cs var:Lang.adm.live.last_event ?> <?cs var:Collector.age ?> s. <?cs /if ?>
<?cs var:Lang.adm.live.events ?>: <?cs var:Collector.events ?>; <?cs var:Lang.adm.live.errors ?>: <?cs var:Collector.errors ?>; <?cs var:Lang.adm.live.reconnects ?>: <?cs var:Collector.reconnects ?>; <?cs var:Lang.adm.live.uptime ?>: <?cs var:Collector.uptime ?> min.<?cs /if ?></p>
<h2><?cs var:Lang.adm.live.pending ?></h2>
<ul>
<li><a href="/admin/cuentas?estado=awaiting"><?cs var:Lang.adm.live.awaiting ?></a>: <span id="awaiting"><?cs var:Page.awaiting ?></span></li>
<li><a href="/admin/correo"><?cs var:Lang.adm.live.mail ?></a><?cs if:?Page.mail_failed ?>: <span id="mail-failed"><?cs var:Page.mail_failed ?></span><?cs /if ?></li>
</ul>
<?cs include:"_foot.cs" ?>
