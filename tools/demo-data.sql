-- demo-data.sql: a few units and employees for tools/dev up; fictitious people, safe to re-run.
INSERT INTO units (code, name, building) VALUES
	('DGTI', 'Dirección General de Tecnologías de la Información', 'Edificio Central, CDMX'),
	('DGRH', 'Dirección General de Recursos Humanos', 'Edificio Central, CDMX'),
	('DRNO', 'Delegación Regional Noroeste', 'Edificio Hermosillo, Sonora'),
	('DRSE', 'Delegación Regional Sureste', 'Edificio Mérida, Yucatán')
ON CONFLICT (code) DO NOTHING;

INSERT INTO directory (employee_no, rfc, curp, name, email, unit_id)
SELECT v.employee_no, v.rfc, v.curp, v.name, v.email, u.id
FROM (VALUES
	('100001', 'GOMA800101AB1', 'GOMA800101HDFMRN01', 'Ana Gómez Martínez', 'ana.gomez@institucion.gob.mx', 'DGTI'),
	('100002', 'PELJ750315CD2', 'PELJ750315HSRRPN02', 'Juan Pérez López', 'juan.perez@institucion.gob.mx', 'DRNO'),
	('100003', 'MUÑO900620EF3', 'MUNO900620MYNXXR03', 'Olga Muñoz Ortiz', 'olga.munoz@institucion.gob.mx', 'DRSE'),
	('100004', 'HERL851130GH4', 'HERL851130HDFRRS04', 'Luis Hernández Ríos', 'luis.hernandez@institucion.gob.mx', 'DGRH'),
	('100005', 'SAVC920704IJ5', 'SAVC920704MDFNLR05', 'Carmen Sánchez Vela', 'carmen.sanchez@institucion.gob.mx', 'DGTI')
) AS v (employee_no, rfc, curp, name, email, unit)
JOIN units u ON u.code = v.unit
ON CONFLICT (employee_no) DO NOTHING;
