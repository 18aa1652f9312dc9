<?cs # _asistencia.cs: a meeting's attendance (reuniones-detalle.c, attendance()): real duration, peak, who came. ?>
<?cs if:Att.sessions ?>
<section class="card" id="asistencia" aria-labelledby="att-h">
<h2 id="att-h"><?cs var:Lang.attend.heading ?></h2>
<dl class="facts">
<dt><?cs var:Lang.attend.real ?></dt><dd><?cs var:Att.real ?><?cs if:Att.live ?> (<?cs var:Lang.attend.live ?>)<?cs /if ?></dd>
<dt><?cs var:Lang.attend.peak ?></dt><dd><?cs var:Att.peak ?></dd>
<dt><?cs var:Lang.attend.people ?></dt><dd><?cs var:Att.people ?></dd>
<?cs if:Att.sessions > 1 ?><dt><?cs var:Lang.attend.sessions ?></dt><dd><?cs var:Att.sessions ?></dd><?cs /if ?>
</dl>
<div class="scroll"><table id="tab-asistencia">
<thead><tr><th scope="col"><?cs var:Lang.attend.person ?></th><th scope="col"><?cs var:Lang.attend.kind ?></th><th scope="col"><?cs var:Lang.attend.first ?></th><th scope="col"><?cs var:Lang.attend.last ?></th><th scope="col"><?cs var:Lang.attend.total ?></th><th scope="col"><?cs var:Lang.attend.reconnects ?></th></tr></thead>
<tbody><?cs each:x = Att.P ?><tr><th scope="row"><?cs var:x.name ?><?cs if:x.email ?><br><span class="hint"><?cs var:x.email ?></span><?cs /if ?></th><td><?cs if:x.guest ?><?cs var:Lang.attend.guest ?><?cs else ?><?cs var:Lang.attend.member ?><?cs /if ?></td><?cs if:x.absent ?><td colspan="4"><?cs var:Lang.attend.absent ?></td><?cs else ?><td><?cs var:x.first ?></td><td><?cs if:x.last ?><?cs var:x.last ?><?cs else ?><?cs var:Lang.attend.still ?><?cs /if ?></td><td><?cs var:x.total ?></td><td><?cs var:x.reconnects ?></td><?cs /if ?></tr>
<?cs /each ?></tbody></table></div>
<?cs if:Att.cut ?><p class="hint"><?cs var:Lang.attend.cut ?> <?cs var:Att.cut ?></p><?cs /if ?>
<p class="hint"><?cs var:Lang.meeting.list.times_in ?> <?cs var:Page.zone ?></p>
</section>
<?cs elif:Att.empty == "nobody" ?><p id="asistencia"><?cs var:Lang.attend.nobody ?></p>
<?cs elif:Att.empty == "nodata" ?><p id="asistencia" class="hint"><?cs var:Lang.attend.nodata ?></p>
<?cs /if ?>
