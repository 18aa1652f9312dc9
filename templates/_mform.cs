<?cs # _mform.cs: the meeting form's problems and fields, shared by reuniones-nueva.cs and reuniones-editar.cs (inside their <form>); Form.instant hides what an instant meeting does not have. ?>
<?cs if:subcount(Form.errors) > 0 ?><div class="error" role="alert" id="form-errors"><p><?cs var:Lang.meeting.new.fix ?></p><ul>
<?cs each:e = Form.errors ?><li><?cs var:e ?></li><?cs /each ?></ul></div><?cs /if ?>
<p><label for="nombre"><?cs var:Lang.meeting.field.name ?></label>
<input id="nombre" name="nombre" type="text" maxlength="200" required value="<?cs var:Form.nombre ?>"<?cs if:Form.bad.nombre ?> aria-invalid="true"<?cs /if ?>></p>
<?cs if:!Form.instant ?>
<div class="row">
<p><label for="fecha"><?cs var:Lang.meeting.field.date ?></label>
<input id="fecha" name="fecha" type="date" required value="<?cs var:Form.fecha ?>" placeholder="AAAA-MM-DD"<?cs if:Form.bad.fecha ?> aria-invalid="true"<?cs /if ?>></p>
<p><label for="hora"><?cs var:Lang.meeting.field.time ?></label>
<input id="hora" name="hora" type="time" required value="<?cs var:Form.hora ?>" placeholder="HH:MM"<?cs if:Form.bad.hora ?> aria-invalid="true"<?cs /if ?>></p>
<p><label for="duracion"><?cs var:Lang.meeting.field.minutes ?></label>
<input id="duracion" name="duracion" type="number" min="1" max="1440" required value="<?cs var:Form.duracion ?>"<?cs if:Form.bad.duracion ?> aria-invalid="true"<?cs /if ?>></p>
</div>
<p><label for="zona"><?cs var:Lang.meeting.field.zone ?></label>
<select id="zona" name="zona"><?cs each:z = TZ ?><option value="<?cs var:z.name ?>"<?cs if:z.selected ?> selected<?cs /if ?>><?cs var:z.name ?></option><?cs /each ?></select></p>
<?cs /if ?>
<p><label for="descripcion"><?cs var:Lang.meeting.field.description ?></label>
<textarea id="descripcion" name="descripcion" rows="3" maxlength="4000"><?cs var:Form.descripcion ?></textarea></p>
<p><label for="internos"><?cs var:Lang.meeting.field.internal ?></label>
<span class="hint" id="internos-hint"><?cs var:Lang.meeting.field.internal_hint ?></span>
<textarea id="internos" name="internos" rows="4" aria-describedby="internos-hint"<?cs if:Form.bad.internos ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.internos ?></textarea></p>
<p><label for="externos"><?cs var:Lang.meeting.field.external ?></label>
<span class="hint" id="externos-hint"><?cs var:Lang.meeting.field.external_hint ?></span>
<textarea id="externos" name="externos" rows="3" aria-describedby="externos-hint"<?cs if:Form.bad.externos ?> aria-invalid="true"<?cs /if ?>><?cs var:Form.externos ?></textarea></p>
<?cs if:Form.series && !Form.instant ?>
<?cs # The repetition, closed unless one was chosen: <details> opens without JavaScript, and its fields take no Tab stop while closed. ?>
<details class="stack"<?cs if:Form.repetir && Form.repetir != "no" ?> open<?cs /if ?>><summary><?cs var:Lang.recur.legend ?></summary>
<p><label for="repetir"><?cs var:Lang.recur.repeat ?></label>
<select id="repetir" name="repetir" aria-describedby="repetir-hint"<?cs if:Form.bad.repetir ?> aria-invalid="true"<?cs /if ?>><?cs each:o = Lang.recur.freq ?><option value="<?cs name:o ?>"<?cs if:Form.repetir == name(o) ?> selected<?cs /if ?>><?cs var:o ?></option><?cs /each ?></select></p>
<p class="hint" id="repetir-hint"><?cs var:Lang.recur.hint ?></p>
<fieldset><legend><?cs var:Lang.recur.days_label ?></legend>
<?cs each:w = Lang.recur.days ?><label><input type="checkbox" id="dia<?cs name:w ?>" name="dia<?cs name:w ?>" value="1"<?cs if:Form.dia[name(w)] ?> checked<?cs /if ?><?cs if:Form.bad.dias ?> aria-invalid="true"<?cs /if ?>> <?cs var:w ?></label> <?cs /each ?></fieldset>
<div class="row">
<p><label for="hasta"><?cs var:Lang.recur.until ?></label>
<input id="hasta" name="hasta" type="date" value="<?cs var:Form.hasta ?>" placeholder="AAAA-MM-DD"<?cs if:Form.bad.hasta ?> aria-invalid="true"<?cs /if ?>></p>
<p><label for="veces"><?cs var:Lang.recur.count ?></label>
<input id="veces" name="veces" type="number" min="1" max="200" value="<?cs var:Form.veces ?>"<?cs if:Form.bad.veces ?> aria-invalid="true"<?cs /if ?>></p>
</div>
</details>
<?cs /if ?>
