<?cs # reuniones-nueva.cs: create an instant or a scheduled meeting; works without JavaScript. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.meeting.new.heading ?></h1>
<section class="card" aria-labelledby="inst-h">
<h2 id="inst-h"><?cs var:Lang.meeting.new.instant ?></h2>
<p><?cs var:Lang.meeting.new.instant_hint ?></p>
<form method="post" action="/reuniones/nueva">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="tipo" value="instantanea">
<button type="submit" class="btn"><?cs var:Lang.meeting.new.instant_button ?></button>
</form>
</section>
<section class="card" aria-labelledby="sched-h">
<h2 id="sched-h"><?cs var:Lang.meeting.new.scheduled ?></h2>
<?cs if:Form.copy ?><p class="hint" role="status"><?cs var:Lang.meeting.new.copy_hint ?></p><?cs /if ?>
<form method="post" action="/reuniones/nueva" class="stack">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="tipo" value="programada">
<?cs include:"_mform.cs" ?>
<p><button type="submit" class="btn"><?cs var:Lang.meeting.new.schedule_button ?></button></p>
</form>
</section>
<?cs include:"_foot.cs" ?>
