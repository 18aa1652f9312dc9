<?cs # admin-cruce.cs: one day's hours, usage beside each bridge's load and traffic. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.adm.cross.title ?></h1>
<?cs include:"_adm-nav.cs" ?>
<?cs if:Page.error ?><p class="error" role="alert"><?cs var:Page.error ?></p><?cs /if ?>
<form method="get" action="/admin/cruce" class="card join">
<label for="dia"><?cs var:Lang.adm.day ?></label><input type="date" id="dia" name="dia" value="<?cs var:F.dia ?>">
<button type="submit"><?cs var:Lang.adm.show ?></button>
</form>
<?cs if:!Page.error ?>
<p class="hint"><?cs var:Lang.adm.cross.hint ?> <?cs var:Lang.adm.infra.traffic_hint ?></p>
<?cs uvar:Chart.people ?><?cs uvar:Chart.load ?>
<details><summary><?cs var:Lang.adm.cross.mean_load ?></summary><div class="scroll"><table id="mean-load"><caption><?cs var:Lang.adm.cross.mean_load ?></caption>
<thead><tr><th><?cs var:Lang.adm.hour ?></th><th><?cs var:Lang.adm.infra.avg_load ?> (%)</th></tr></thead>
<tbody><?cs each:x = Mean ?><tr><th scope="row"><?cs var:x.hour ?>:00</th><td><?cs var:x.load ?></td></tr><?cs /each ?></tbody></table></div></details>
<div class="scroll"><table id="cross">
<thead><tr><th><?cs var:Lang.adm.hour ?></th><th><?cs var:Lang.adm.cross.active ?></th><th><?cs var:Lang.adm.cross.active_participants ?></th><th><?cs var:Lang.adm.cross.started ?></th><th><?cs var:Lang.adm.bridge ?></th><th><?cs var:Lang.adm.infra.avg_load ?></th><th><?cs var:Lang.adm.infra.max_load ?></th><th><?cs var:Lang.adm.in ?></th><th><?cs var:Lang.adm.out ?></th></tr></thead>
<tbody><?cs each:x = Rows ?><tr<?cs if:x.span ?> class="first"<?cs /if ?>><?cs if:x.span ?><th scope="rowgroup" rowspan="<?cs var:x.span ?>"><?cs var:x.hour ?></th><td rowspan="<?cs var:x.span ?>"><?cs var:x.active ?></td><td rowspan="<?cs var:x.span ?>"><?cs var:x.participants ?></td><td rowspan="<?cs var:x.span ?>"><?cs var:x.started ?></td><?cs /if ?>
<td><?cs if:x.bridge ?><?cs var:x.bridge ?><?cs else ?>—<?cs /if ?></td><td><?cs var:x.avg_load ?></td><td><?cs var:x.max_load ?></td><td><?cs var:x.avg_in ?></td><td><?cs var:x.avg_out ?></td></tr>
<?cs /each ?></tbody></table></div>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
