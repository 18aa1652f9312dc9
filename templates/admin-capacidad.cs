<?cs # admin-capacidad.cs: expected participants per half hour for 14 days against capacity. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.adm.capacity.title ?></h1>
<?cs include:"_adm-nav.cs" ?>
<p class="hint"><?cs var:Lang.adm.capacity.hint ?></p>
<dl class="facts card">
<dt><?cs var:Lang.adm.capacity.capacity ?></dt><dd id="capacity"><?cs if:Page.capacity > #0 ?><?cs var:Page.capacity ?><?cs else ?><?cs var:Lang.adm.capacity.no_capacity ?><?cs /if ?></dd>
<dt><?cs var:Lang.adm.capacity.threshold ?></dt><dd id="threshold"><?cs var:Page.threshold ?> %</dd>
</dl>
<p class="hint"><?cs var:Lang.adm.capacity.capacity_hint ?></p>
<?cs if:subcount(Days) == 0 ?><p><?cs var:Lang.adm.none ?></p><?cs else ?>
<div class="scroll"><table id="days">
<thead><tr><th><?cs var:Lang.adm.day ?></th><th><?cs var:Lang.adm.capacity.peak ?></th><th><?cs var:Lang.adm.hour ?></th><th><?cs var:Lang.adm.capacity.share ?></th></tr></thead>
<tbody><?cs each:d = Days ?><tr<?cs if:d.over ?> class="over"<?cs /if ?>><th scope="row"><?cs var:d.day ?></th><td><?cs var:d.expected ?></td><td><?cs var:d.time ?></td><td><?cs var:d.pct ?> %<?cs if:d.over ?> <strong><?cs var:Lang.adm.capacity.over ?></strong><?cs /if ?></td></tr><?cs /each ?></tbody></table></div>
<?cs /if ?>
<h2><?cs var:Lang.adm.capacity.flagged ?></h2>
<?cs if:subcount(Flagged) == 0 ?><p id="none-flagged"><?cs var:Lang.adm.capacity.none_flagged ?></p><?cs else ?>
<ul id="flagged"><?cs each:f = Flagged ?><li><?cs var:f.day ?> <?cs var:f.time ?>: <?cs var:f.expected ?> <?cs var:Lang.adm.capacity.expected ?> (<?cs var:f.pct ?> %)</li><?cs /each ?></ul>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
