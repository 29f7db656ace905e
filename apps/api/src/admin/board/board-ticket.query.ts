import { IsString, Matches } from 'class-validator';

export class BoardTicketQuery {
  @IsString()
  @Matches(/^[\w-]{43}$/, { message: 'ticket is not valid' })
  ticket!: string;
}
