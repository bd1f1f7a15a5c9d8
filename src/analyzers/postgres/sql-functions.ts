// Which SQL function calls are known to be side-effect free. A SELECT is only a read when every
// function it calls is: anything else (user-defined functions, nextval, dblink, pg_read_file...)
// can write, reach the network or the server's files, so it is flagged.

/** Built-in functions that neither write, nor leave the database, nor affect other sessions. */
const PURE = new Set([
  // aggregates and window functions
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg',
  'json_object_agg', 'jsonb_object_agg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop',
  'covar_samp', 'mode', 'percentile_cont', 'percentile_disc', 'row_number', 'rank', 'dense_rank',
  'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value',
  // strings
  'lower', 'upper', 'initcap', 'length', 'char_length', 'character_length', 'octet_length',
  'bit_length', 'concat', 'concat_ws', 'substring', 'substr', 'trim', 'btrim', 'ltrim', 'rtrim',
  'replace', 'split_part', 'strpos', 'position', 'left', 'right', 'lpad', 'rpad', 'repeat',
  'reverse', 'format', 'quote_ident', 'quote_literal', 'quote_nullable', 'regexp_replace',
  'regexp_match', 'regexp_matches', 'regexp_split_to_array', 'regexp_split_to_table',
  'regexp_count', 'regexp_like', 'starts_with', 'translate', 'md5', 'sha256', 'encode', 'decode',
  'to_hex', 'ascii', 'chr', 'string_to_array', 'array_to_string', 'overlay', 'like_escape',
  // numbers
  'abs', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'power', 'sqrt', 'exp', 'ln', 'log',
  'sign', 'greatest', 'least', 'random', 'width_bucket', 'div', 'pi', 'to_number',
  // dates
  'now', 'date_trunc', 'date_part', 'extract', 'age', 'to_char', 'to_date', 'to_timestamp',
  'make_date', 'make_time', 'make_timestamp', 'make_timestamptz', 'make_interval',
  'justify_days', 'justify_hours', 'justify_interval', 'clock_timestamp', 'statement_timestamp',
  'transaction_timestamp', 'timeofday', 'date_bin', 'isfinite', 'timezone',
  // json and arrays
  'to_json', 'to_jsonb', 'row_to_json', 'array_to_json', 'json_build_object', 'jsonb_build_object',
  'json_build_array', 'jsonb_build_array', 'json_object', 'jsonb_object', 'jsonb_pretty',
  'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text',
  'jsonb_array_elements_text', 'json_each', 'jsonb_each', 'json_each_text', 'jsonb_each_text',
  'json_object_keys', 'jsonb_object_keys', 'json_extract_path', 'jsonb_extract_path',
  'json_extract_path_text', 'jsonb_extract_path_text', 'jsonb_set', 'jsonb_insert',
  'jsonb_strip_nulls', 'json_typeof', 'jsonb_typeof', 'jsonb_path_query', 'jsonb_path_exists',
  'json_array_length', 'jsonb_array_length', 'array_length', 'array_upper', 'array_lower',
  'array_append', 'array_prepend', 'array_cat', 'array_position', 'array_positions',
  'array_remove', 'array_replace', 'cardinality', 'unnest', 'generate_series',
  'generate_subscripts',
  // catalog and status lookups
  'version', 'current_database', 'current_schema', 'current_schemas', 'current_setting',
  'pg_backend_pid', 'pg_postmaster_start_time', 'pg_conf_load_time', 'pg_is_in_recovery',
  'pg_size_pretty', 'pg_size_bytes', 'pg_total_relation_size', 'pg_relation_size',
  'pg_table_size', 'pg_indexes_size', 'pg_database_size', 'pg_tablespace_size',
  'pg_column_size', 'pg_get_viewdef', 'pg_get_indexdef', 'pg_get_constraintdef',
  'pg_get_functiondef', 'pg_get_triggerdef', 'pg_get_ruledef', 'pg_get_expr', 'pg_get_userbyid',
  'pg_get_serial_sequence', 'pg_typeof', 'format_type', 'obj_description', 'col_description',
  'shobj_description', 'to_regclass', 'to_regtype', 'to_regproc', 'has_table_privilege',
  'has_schema_privilege', 'has_database_privilege', 'has_column_privilege',
  'has_function_privilege', 'pg_has_role', 'pg_current_wal_lsn', 'pg_last_wal_replay_lsn',
  'pg_last_wal_receive_lsn', 'pg_wal_lsn_diff', 'pg_last_xact_replay_timestamp',
  'txid_current_snapshot', 'pg_current_snapshot', 'pg_table_is_visible', 'pg_blocking_pids',
  'inet_client_addr', 'inet_server_addr', 'inet_server_port', 'pg_encoding_to_char',
  'pg_stat_get_activity', 'pg_relation_filenode', 'pg_relation_filepath',
  'gen_random_uuid', 'uuid_generate_v4', 'nullif', 'coalesce',
]);

/**
 * Functions that reach outside the statement: server files, other sessions, the network,
 * configuration, sequences, large objects, or arbitrary SQL text. Flagged separately so a
 * rule can rank them higher than an unknown (user-defined) function.
 */
const PRIVILEGED = new Set([
  'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_ls_logdir',
  'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'lo_import', 'lo_export', 'lo_unlink',
  'lo_create', 'lo_creat', 'lo_from_bytea', 'lo_put', 'pg_terminate_backend',
  'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_promote', 'pg_switch_wal',
  'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop', 'pg_start_backup',
  'pg_stop_backup', 'pg_wal_replay_pause', 'pg_wal_replay_resume', 'set_config',
  'pg_create_physical_replication_slot', 'pg_create_logical_replication_slot',
  'pg_drop_replication_slot', 'pg_replication_slot_advance', 'pg_logical_emit_message',
  'pg_stat_reset', 'pg_stat_reset_shared', 'pg_stat_reset_single_table_counters',
  'pg_stat_statements_reset', 'dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u',
  'dblink_send_query', 'dblink_open', 'query_to_xml', 'query_to_xml_and_xmlschema',
  'query_to_xmlschema', 'cursor_to_xml', 'nextval', 'setval', 'pg_advisory_lock',
  'pg_advisory_xact_lock', 'pg_try_advisory_lock', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
  'pg_import_system_collations', 'pg_notify', 'txid_current', 'pg_current_xact_id',
]);

export interface FunctionCallClass {
  /** Some call is not known to be pure. */
  sideEffects: boolean;
  /** Some call is a known privileged function. */
  privileged: boolean;
}

/** Classify a function call by its (possibly schema-qualified) name parts. */
export function classifyFunction(nameParts: readonly string[]): FunctionCallClass {
  const name = (nameParts[nameParts.length - 1] ?? '').toLowerCase();
  const schema = nameParts.length > 1 ? nameParts[nameParts.length - 2]!.toLowerCase() : 'pg_catalog';
  const privileged = PRIVILEGED.has(name);
  // A same-named function in another schema is user code, not the built-in.
  const pure = schema === 'pg_catalog' && PURE.has(name);
  return { sideEffects: !pure, privileged };
}
